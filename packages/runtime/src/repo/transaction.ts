/**
 * Transactions across the repositories of one scope. A repository's `transaction.put/delete/update/
 * check/get` makes an opaque request bound to its scope; `transactWrite` and `transactGet` send a
 * list of them in one DynamoDB transaction through that scope's (guarded) Document client, and
 * refuse requests of two scopes, or anything a repository did not make.
 */
import { TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describeValue } from '../aws/guard-format.js';
import { scopeLabel } from '../aws/scope.js';
import { IsolationViolationError } from '../aws/violation.js';
import type { Refuse } from './refusal.js';
import type { RepositoryScope } from './scope-binding.js';

/** One element of `TransactItems`, as the Document client takes it. */
type TransactWriteItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
type TransactGetItem = NonNullable<ConstructorParameters<typeof TransactGetCommand>[0]['TransactItems']>[number];

interface Binding {
  readonly scope: RepositoryScope;
  readonly refuse: Refuse;
}

/** A write of a transaction, made by `repo.transaction.put/delete/update/check`. */
export class TransactionWrite {
  readonly #binding: Binding;
  readonly #request: TransactWriteItem;
  constructor(binding: Binding, request: TransactWriteItem) {
    this.#binding = binding;
    this.#request = request;
  }

  static parts(write: unknown): { readonly binding: Binding; readonly request: TransactWriteItem } | undefined {
    return typeof write === 'object' && write !== null && #request in write ? { binding: write.#binding, request: write.#request } : undefined;
  }
}

/** A read of a transaction, made by `repo.transaction.get`; its item comes back as `Item | undefined`. */
export class TransactionRead<Item> {
  /** Types only: what the read yields. */
  declare readonly item?: Item;
  readonly #binding: Binding;
  readonly #request: TransactGetItem;
  readonly #finish: (stored: Record<string, unknown>) => Item;
  constructor(binding: Binding, request: TransactGetItem, finish: (stored: Record<string, unknown>) => Item) {
    this.#binding = binding;
    this.#request = request;
    this.#finish = finish;
  }

  static parts(read: unknown): { readonly binding: Binding; readonly request: TransactGetItem; readonly finish: (stored: Record<string, unknown>) => unknown } | undefined {
    return typeof read === 'object' && read !== null && #request in read ? { binding: read.#binding, request: read.#request, finish: read.#finish } : undefined;
  }
}

export type TransactionItems<Reads extends readonly TransactionRead<unknown>[]> = { -readonly [Index in keyof Reads]: Reads[Index] extends TransactionRead<infer Item> ? Item | undefined : never };

/** DynamoDB's limit of items per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

export async function transactWrite(writes: readonly TransactionWrite[]): Promise<void> {
  const parts = collect(writes, 'transactWrite', 'writes', 'transaction.put/delete/update/check', TransactionWrite.parts);
  if (parts === undefined) return;
  await parts.scope.dynamo().send(new TransactWriteCommand({ TransactItems: parts.requests }));
}

export async function transactGet<const Reads extends readonly TransactionRead<unknown>[]>(reads: Reads): Promise<TransactionItems<Reads>> {
  const parts = collect(reads, 'transactGet', 'reads', 'transaction.get', TransactionRead.parts);
  if (parts === undefined) return [] as unknown as TransactionItems<Reads>;
  const result = await parts.scope.dynamo().send(new TransactGetCommand({ TransactItems: parts.requests }));
  const responses = result.Responses ?? [];
  return parts.all.map((part, index) => {
    const stored = responses[index]?.Item;
    return stored === undefined ? undefined : part.finish(stored);
  }) as TransactionItems<Reads>;
}

function collect<Part extends { readonly binding: Binding; readonly request: unknown }>(
  list: unknown,
  operation: string,
  what: string,
  makers: string,
  parts: (element: unknown) => Part | undefined,
): { readonly scope: RepositoryScope; readonly requests: Part['request'][]; readonly all: Part[] } | undefined {
  if (!Array.isArray(list)) throw new TypeError(`${operation} takes an array of ${what}; found ${describeValue(list)}`);
  if (list.length === 0) return undefined;
  if (list.length > MAX_TRANSACTION_ITEMS) throw new TypeError(`${operation}: ${list.length} ${what}; DynamoDB takes at most ${MAX_TRANSACTION_ITEMS} per transaction, so split them`);
  const all = list.map((element: unknown, index) => {
    const part = parts(element);
    if (part === undefined) throw new TypeError(`${operation}: ${what}[${index}] = ${describeValue(element)}; expected a request made by a repository's ${makers}`);
    return part;
  });
  const [first] = all as [Part, ...Part[]];
  const label = scopeLabel(first.binding.scope.description);
  const stranger = all.find((part) => scopeLabel(part.binding.scope.description) !== label);
  if (stranger !== undefined) {
    first.binding.refuse(
      new IsolationViolationError(
        'repository-scope',
        first.binding.scope.description,
        operation,
        `${what} of ${label} and of ${scopeLabel(stranger.binding.scope.description)}`,
        `${what} from repositories of one scope — a transaction never spans tenants or capsules`,
      ),
    );
  }
  return { scope: first.binding.scope, requests: all.map((part) => part.request), all };
}
