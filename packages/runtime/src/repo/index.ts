/** Typed scoped repositories (ADR 0022): `scope.repo(Entity)` and transactions across one scope's repositories. */
export { capsuleKeys, tenantKeys, platformKeys, type KeyDeclaration, type EntityScopeKind } from './declaration.js';
export { ScopedRepository, type Repository, type PutOptions, type ReadOptions, type BatchWrites, type TransactionRequests } from './repository.js';
export { transactWrite, transactGet, TransactionWrite, TransactionRead, type TransactionItems } from './transaction.js';
export type { Changes, EntityClass, EntityItem, KeyOf, NewItemOf, OpensIn, Page, PartitionOf, QueryOptions, ScopeKind, SortKeyCondition, SortKeyOperator } from './types.js';
