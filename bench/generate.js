// Writes generated multi-tenant projects: `generateProject` for the lint benchmark (N capsule entities
// and N endpoints, ten of each per file), `generateTypedProject` for the compiler benchmark (below).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PER_FILE = 10;

function entity(name) {
  return `@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#${name.toUpperCase()}#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class ${name} {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  name?: string;
  describe(): string {
    return \`\${this.id}:\${this.version}\`;
  }
}
`;
}

function routes(name) {
  return `export class ${name}Routes {
  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/items/{itemId}', pathParams: ['accountId', 'itemId'], queryParams: ['query'] })
  get(accountId: string, itemId: string, query: string) {
    return { accountId, itemId, query, doubled: [1, 2, 3].map((x) => x * 2) };
  }
}
`;
}

/** Returns the number of files written into `dir`. */
export function generateProject(dir, { entities, endpoints }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = Math.ceil(Math.max(entities, endpoints) / PER_FILE);
  for (let file = 0; file < files; file += 1) {
    const parts = ["import { CapsuleIsolated, Endpoint, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';\n"];
    for (let i = 0; i < PER_FILE; i += 1) {
      const index = file * PER_FILE + i;
      if (index < entities) parts.push(entity(`Entity${index}`));
      if (index < endpoints) parts.push(routes(`Resource${index}`));
    }
    writeFileSync(join(dir, `module${file}.ts`), parts.join('\n'));
  }
  return files;
}

// ---------------------------------------------------------------------------------------------------
// A typed project for the compiler benchmark: `files` modules in folders of 100, in a repeating
// pattern of 20 — 12 entity modules (two valid capsule `@Entity` classes each), 4 route modules
// (three `@Endpoint` methods each, path and query params declared explicitly), 4 plain modules
// (types, generics, a cache class, service functions; no decorators). Every module imports from
// earlier ones (plain types, entity classes), so the checker resolves types across files.

const NOUNS = ['Account', 'Contact', 'Invoice', 'Order', 'Shipment', 'Ticket', 'Project', 'Task', 'Document', 'Payment', 'Subscription', 'Asset', 'Lead', 'Quote', 'Contract'];
const PLAIN = new Set([0, 7, 13, 17]);
const ROUTES = new Set([4, 9, 14, 19]);

/** Small deterministic generator (mulberry32): the same output on every run and machine. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const kindOf = (index) => (PLAIN.has(index % 20) ? 'plain' : ROUTES.has(index % 20) ? 'routes' : 'entity');
const modulePath = (index) => `g${Math.floor(index / 100)}/m${index}`;
const names = (index) => {
  const noun = `${NOUNS[index % NOUNS.length]}${index}`;
  return { noun, line: `${noun}Line`, key: noun.toUpperCase() };
};

function plainModule(index, plain, entity) {
  const own = `Record${index}`;
  const lines = [];
  if (plain !== undefined) lines.push(`import { index${plain}, type Record${plain} } from '../${modulePath(plain)}.js';`);
  if (entity !== undefined) lines.push(`import type { ${names(entity).noun}, ${names(entity).line} } from '../${modulePath(entity)}.js';`);
  const indexer = plain === undefined ? `index${index}` : `index${plain}`;
  lines.push(`
export type Status${index} = 'draft' | 'active' | 'suspended' | 'archived';

export interface ${own} {
  readonly id: string;
  readonly createdAt: number;
  status: Status${index};
  tags: readonly string[];
  owner?: { readonly name: string; readonly email: string };${plain === undefined ? '' : `\n  parent?: Record${plain};`}
}

export type Patch${index} = Partial<Omit<${own}, 'id' | 'createdAt'>>;

export type DeepReadonly${index}<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly${index}<T[K]> : T[K] };

export const defaults${index}: DeepReadonly${index}<${own}> = { id: 'r${index}', createdAt: 0, status: 'draft', tags: [] };

export function merge${index}(base: ${own}, patch: Patch${index}): ${own} {
  return { ...base, ...patch, tags: [...base.tags, ...(patch.tags ?? [])] };
}

export function index${index}<T extends { readonly id: string }>(items: Iterable<T>): Map<string, T> {
  const result = new Map<string, T>();
  for (const item of items) result.set(item.id, item);
  return result;
}

export class Cache${index}<K, V> {
  readonly #entries = new Map<K, { value: V; expires: number }>();

  constructor(private readonly ttl: number) {}

  get(key: K, now: number): V | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.expires > now ? entry.value : undefined;
  }

  set(key: K, value: V, now: number): this {
    this.#entries.set(key, { value, expires: now + this.ttl });
    return this;
  }
}

export function byStatus${index}(records: readonly ${own}[]): Record<Status${index}, ${own}[]> {
  const groups: Record<Status${index}, ${own}[]> = { draft: [], active: [], suspended: [], archived: [] };
  for (const record of records) groups[record.status].push(record);
  return groups;
}
`);
  if (entity !== undefined) {
    const { noun, line } = names(entity);
    lines.push(`export function summarize${index}(items: readonly ${noun}[], lines: readonly ${line}[]): { total: number; byId: Map<string, ${noun}>; amount: number } {
  const byId = ${indexer}(items);
  const amount = lines.filter((entry) => byId.has(entry.parentId)).reduce((sum, entry) => sum + entry.total(), 0);
  return { total: items.length + lines.length, byId, amount };
}
`);
  }
  return lines.join('\n');
}

function entityModule(index, plain, entity) {
  const { noun, line, key } = names(index);
  const lines = [
    "import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';",
    `import { merge${plain}, type Patch${plain}, type Record${plain}, type Status${plain} } from '../${modulePath(plain)}.js';`,
  ];
  if (entity !== undefined) lines.push(`import type { ${names(entity).noun} } from '../${modulePath(entity)}.js';`);
  lines.push(`
@Entity({ table: 'app_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#${key}#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class ${noun} {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  status: Status${plain} = 'draft';
  record?: Record${plain};${entity === undefined ? '' : `\n  related?: ${names(entity).noun};`}

  describe(): string {
    return \`\${this.id}:v\${this.version}:\${this.status}\`;
  }

  sameScope(other: { readonly tenantId: TenantId; readonly capsuleId: CapsuleId }): boolean {
    return other.tenantId === this.tenantId && other.capsuleId === this.capsuleId;
  }

  apply(patch: Patch${plain}): Record${plain} | undefined {
    return this.record === undefined ? undefined : merge${plain}(this.record, patch);
  }
}

@Entity({ table: 'app_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#${key}LINE#{id}', sk: 'PARENT#{parentId}' })
@CapsuleIsolated()
export class ${line} {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  parentId!: string;
  quantity = 0;
  unitPrice = 0;

  total(): number {
    return this.quantity * this.unitPrice;
  }

  belongsTo(owner: ${noun}): boolean {
    return owner.id === this.parentId && owner.sameScope(this);
  }
}
`);
  return lines.join('\n');
}

function routesModule(index, plain, entity) {
  const { noun } = names(index);
  const { noun: item, line } = names(entity);
  const resource = noun.toLowerCase();
  return `import { Endpoint } from '@isolation/runtime';
import type { ${item}, ${line} } from '../${modulePath(entity)}.js';
import { index${plain}, merge${plain}, type Patch${plain}, type Record${plain} } from '../${modulePath(plain)}.js';

export interface Query${index} {
  readonly limit?: number;
  readonly cursor?: string;
  readonly status?: ${item}['status'];
}

export interface Page${index}<T> {
  readonly items: readonly T[];
  readonly next?: string | undefined;
}

export class ${noun}Routes {
  readonly #store = new Map<string, Record${plain}>();

  constructor(
    private readonly load: (id: string) => ${item} | undefined,
    private readonly linesOf: (owner: ${item}) => readonly ${line}[],
  ) {}

  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/${resource}/{itemId}', pathParams: ['accountId', 'itemId'], queryParams: ['query'], permission: '${resource}.read' })
  get(accountId: string, itemId: string, query: Query${index}) {
    const found = this.load(itemId);
    if (found === undefined || (query.status !== undefined && found.status !== query.status)) return undefined;
    return { accountId, item: found.describe(), total: this.linesOf(found).reduce((sum, entry) => sum + entry.total(), 0) };
  }

  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/${resource}', pathParams: ['accountId'], queryParams: ['cursor', 'limit'], permission: '${resource}.read' })
  list(accountId: string, cursor: string, limit: number): Page${index}<Record${plain}> {
    const all = [...index${plain}(this.#store.values()).values()].filter((record) => record.tags.includes(accountId));
    const start = Number(cursor) || 0;
    return { items: all.slice(start, start + limit), next: start + limit < all.length ? String(start + limit) : undefined };
  }

  @Endpoint({ method: 'PATCH', path: '/accounts/{accountId}/${resource}/{itemId}', pathParams: ['accountId', 'itemId'], body: 'patch', permission: '${resource}.write' })
  update(accountId: string, itemId: string, patch: Patch${plain}) {
    const current = this.#store.get(itemId);
    if (current === undefined) return undefined;
    const next = merge${plain}(current, { ...patch, tags: [accountId] });
    this.#store.set(itemId, next);
    return next;
  }
}
`;
}

/**
 * Writes `files` modules under `dir/src` and returns how many of each kind; tsconfigs are the
 * caller's. Imports only point to earlier modules, so there are no cycles.
 */
export function generateTypedProject(dir, { files }) {
  rmSync(dir, { recursive: true, force: true });
  const next = random(20260101);
  const pick = (list) => list[Math.floor(next() * list.length)];
  /** One of the most recent 200 modules of a kind: imports stay mostly local, as in real code. */
  const recent = (list) => (list.length === 0 ? undefined : pick(list.slice(-200)));
  const seen = { plain: [], entity: [], routes: [] };
  for (let index = 0; index < files; index += 1) {
    const kind = kindOf(index);
    const plain = recent(seen.plain);
    const entity = recent(seen.entity);
    const source = kind === 'plain' ? plainModule(index, plain, entity) : kind === 'entity' ? entityModule(index, plain, entity) : routesModule(index, plain, entity);
    const file = join(dir, 'src', `${modulePath(index)}.ts`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, source);
    seen[kind].push(index);
  }
  return { plain: seen.plain.length, entity: seen.entity.length, routes: seen.routes.length };
}
