/**
 * `@isolation/runtime/aws`: scoped AWS clients. A separate entry point, so code that only needs ids,
 * decorators and keys does not load the AWS SDK.
 */
export { keyPrefixOf, objectPrefixOf, parameterPrefixOf, scopeLabel, DEFAULT_KEY_ATTRIBUTES, type ScopeDescription, type GuardedScope, type KeyAttributes } from './scope.js';
export { IsolationViolationError, type GuardRule } from './violation.js';
export { OperatorCredentials, OperatorCredentialsError, AssumeRoleError, type OperatorCredentialOptions, type OperatorProviderOptions, type SharedCredentialProvider } from './credentials.js';
export { sessionPolicyFor, SessionPolicyError, SCOPED_ITEM_ACTIONS, SESSION_POLICY_ACTIONS, SESSION_POLICY_MAX_CHARACTERS, type IamPolicyDocument, type IamPolicyStatement, type SessionAccount, type SessionPolicyResources } from './session-policy.js';
export { UNCONFINABLE_OPERATIONS, type UnconfinableOperation } from './session-policy-unconfinable.js';
export { SessionBudgetError, type SessionBudgetOptions } from './session-budget.js';
export { defaultTableNaming, TableNameError, TABLE_NAME_DELIMITER, type TableNaming } from './tables.js';
export { defaultBucketNaming, BucketNameError, type BucketNaming } from './buckets.js';
export { defaultQueueNaming, queueNamePrefixOf, QueueNameError, type QueueNaming } from './queues.js';
export { defaultTopicNaming, TopicNameError, type TopicNaming } from './topics.js';
export { defaultEventBusNaming, DEFAULT_EVENT_BUS, EventBusNameError, type EventBusNaming } from './event-buses.js';
export { defaultParameterPrefix, ParameterPrefixError, type ParameterPrefixNaming } from './parameter-prefix.js';
export { KeySchemaError, DescribedKeySchemas, describeKeySchema, type DescribeTableSender, type DescribedKeySchemasOptions } from './key-schemas.js';
export { declaredKeySchemas, type KeySchema, type KeySchemaSource, type TableKeys } from './table-keys.js';
export { addIsolationGuard, inspectCommand, hasIsolationGuard, ClientGuard, GUARDED_COMMANDS, type GuardPolicy, type GuardableClient } from './guard.js';
export { GUARDED_SERVICES, type GuardedService } from './guard-services.js';
export type { ServiceGuard, GuardContext, GuardFailure, GuardInput, GuardedRequest } from './service-guard.js';
export { getIsolationGuardPlugin, ISOLATION_GUARD_MIDDLEWARE, type IsolationGuardPluginOptions } from './guard-plugin.js';
export { ISOLATION_EARLY_CHECK } from './guard-early.js';
// Typed scoped repositories (ADR 0022): `scope.repo(Entity)`; the entities' `keys` declarations come from the main entry.
export { transactWrite, transactGet, TransactionWrite, TransactionRead, type Repository, type TransactionRequests, type TransactionItems, type PutOptions, type ReadOptions, type BatchWrites } from '../repo/index.js';
export type { Changes, EntityClass, EntityItem, KeyOf, NewItemOf, OpensIn, Page, PartitionOf, QueryOptions, ScopeKind, SortKeyCondition, SortKeyOperator } from '../repo/index.js';
export { createClientFactory, type ClientFactory, type ClientFactoryOptions, type Scope, type ScopedCredentialOptions, type ScopeSummary, type SdkClient, type SdkClientClass, type UnguardedService } from './factory.js';
