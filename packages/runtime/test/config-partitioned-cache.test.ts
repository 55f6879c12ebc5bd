/**
 * The partitioned LRU behind the configuration cache: a per-partition cap that evicts within the
 * partition, a global bound across partitions, recency kept on reads, and bookkeeping that stays
 * consistent through overwrites, deletes, evictions and clear.
 */
import { describe, expect, it } from 'vitest';
import { PartitionedLru } from '../src/config/partitioned-cache.js';

describe('PartitionedLru', () => {
  it('a full partition evicts its own least recently used key, never another partition’s', () => {
    const cache = new PartitionedLru<number>(100, 3);
    cache.set('victim', 'victim/a', 1);
    for (let index = 0; index < 1000; index += 1) cache.set('noisy', `noisy/${index}`, index);
    expect(cache.get('victim/a')).toBe(1);
    expect(cache.idsOf('noisy')).toEqual(['noisy/997', 'noisy/998', 'noisy/999']);
    expect(cache.size).toBe(4);
  });

  it('reads refresh recency within the partition', () => {
    const cache = new PartitionedLru<string>(100, 2);
    cache.set('t', 't/a', 'A');
    cache.set('t', 't/b', 'B');
    expect(cache.get('t/a')).toBe('A');
    cache.set('t', 't/c', 'C');
    expect([cache.get('t/a'), cache.get('t/b'), cache.get('t/c')]).toEqual(['A', undefined, 'C']);
  });

  it('the global bound evicts the least recently used entry of any partition and keeps the bookkeeping', () => {
    const cache = new PartitionedLru<number>(3, 10);
    cache.set('x', 'x/a', 1);
    cache.set('y', 'y/a', 2);
    cache.set('z', 'z/a', 3);
    cache.get('x/a');
    cache.set('w', 'w/a', 4);
    expect(cache.get('y/a')).toBeUndefined();
    expect(cache.partitions().sort()).toEqual(['w', 'x', 'z']);
    expect(cache.size).toBe(3);
  });

  it('overwrites keep the key; delete and clear forget it', () => {
    const cache = new PartitionedLru<number>(10, 10);
    cache.set('t', 't/a', 1);
    cache.set('t', 't/a', 2);
    expect([cache.get('t/a'), cache.idsOf('t'), cache.size]).toEqual([2, ['t/a'], 1]);
    cache.delete('t/a');
    expect([cache.get('t/a'), cache.idsOf('t'), cache.partitions()]).toEqual([undefined, [], []]);
    cache.set('t', 't/b', 3);
    cache.clear();
    expect([cache.size, cache.partitions()]).toEqual([0, []]);
  });

  it('refuses bounds that are not positive integers', () => {
    expect(() => new PartitionedLru(0, 1)).toThrow(/max must be a positive integer/);
    expect(() => new PartitionedLru(10, 1.5)).toThrow(/maxPerTenant must be a positive integer/);
  });
});
