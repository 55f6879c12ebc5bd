/**
 * An LRU cache whose entries belong to partitions (the config service uses one per tenant) with a
 * cap per partition: a full partition makes room by dropping its own least recently used entry, so
 * no partition can push another's entries out by filling the cache with made-up keys. The total is
 * bounded as well (`max`), least recently used first across partitions.
 *
 * A hit only stamps the entry with a counter; the partition looks for its oldest stamp when it
 * overflows. Hits stay as cheap as a plain LRU's, and the scan (at most `maxPerPartition` entries)
 * is paid by the partition that keeps adding keys.
 */
import { LRUCache } from 'lru-cache';

interface Slot<V> {
  readonly partition: string;
  readonly id: string;
  readonly value: V;
  used: number;
}

export class PartitionedLru<V> {
  readonly #slots: LRUCache<string, Slot<V>>;
  /** Each partition's slots by id. */
  readonly #partitions = new Map<string, Map<string, Slot<V>>>();
  #clock = 0;

  constructor(
    readonly max: number,
    readonly maxPerPartition: number,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`cache max must be a positive integer, found ${String(max)}`);
    if (!Number.isInteger(maxPerPartition) || maxPerPartition < 1) throw new TypeError(`cache maxPerTenant must be a positive integer, found ${String(maxPerPartition)}`);
    this.#slots = new LRUCache<string, Slot<V>>({ max, dispose: (slot) => this.#forget(slot) });
  }

  get size(): number {
    return this.#slots.size;
  }

  /** `id` is unique across partitions (the caller puts the partition in it). */
  get(id: string): V | undefined {
    const slot = this.#slots.get(id);
    if (slot === undefined) return undefined;
    slot.used = ++this.#clock;
    return slot.value;
  }

  set(partition: string, id: string, value: V): void {
    let members = this.#partitions.get(partition);
    if (members === undefined) this.#partitions.set(partition, (members = new Map()));
    const slot: Slot<V> = { partition, id, value, used: ++this.#clock };
    members.set(id, slot);
    this.#slots.set(id, slot);
    if (members.size <= this.maxPerPartition) return;
    let oldest = slot;
    for (const member of members.values()) if (member.used < oldest.used) oldest = member;
    this.#slots.delete(oldest.id);
  }

  delete(id: string): void {
    this.#slots.delete(id);
  }

  /** The ids cached in one partition. */
  idsOf(partition: string): string[] {
    return [...(this.#partitions.get(partition)?.keys() ?? [])];
  }

  partitions(): string[] {
    return [...this.#partitions.keys()];
  }

  clear(): void {
    this.#slots.clear();
    this.#partitions.clear();
  }

  /** Called for every slot leaving the LRU (evicted, deleted, or replaced by a newer slot of its id). */
  #forget(slot: Slot<V>): void {
    const members = this.#partitions.get(slot.partition);
    if (members?.get(slot.id) !== slot) return; // already replaced by a newer slot
    members.delete(slot.id);
    if (members.size === 0) this.#partitions.delete(slot.partition);
  }
}
