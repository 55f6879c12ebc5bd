/**
 * `@isolation/runtime/aws`: scoped AWS clients. A separate entry point, so code that only needs ids,
 * decorators and keys does not load the AWS SDK.
 */
export { keyPrefixOf, objectPrefixOf, scopeLabel, DEFAULT_KEY_ATTRIBUTES, type ScopeDescription, type GuardedScope, type KeyAttributes } from './scope.js';
export { IsolationViolationError, type GuardRule } from './violation.js';
export { OperatorCredentials, OperatorCredentialsError, AssumeRoleError, type OperatorCredentialOptions, type OperatorProviderOptions, type SharedCredentialProvider } from './credentials.js';
export { sessionPolicyFor, SessionPolicyError, SCOPED_ITEM_ACTIONS, SESSION_POLICY_MAX_CHARACTERS, type IamPolicyDocument, type IamPolicyStatement } from './session-policy.js';
export { SessionBudgetError, type SessionBudgetOptions } from './session-budget.js';
export { defaultTableNaming, TableNameError, TABLE_NAME_DELIMITER, type TableNaming } from './tables.js';
export { defaultBucketNaming, BucketNameError, type BucketNaming } from './buckets.js';
export { KeySchemaError, DescribedKeySchemas, describeKeySchema, type DescribeTableSender, type DescribedKeySchemasOptions } from './key-schemas.js';
export { declaredKeySchemas, type KeySchema, type KeySchemaSource, type TableKeys } from './table-keys.js';
export { addIsolationGuard, inspectCommand, hasIsolationGuard, ClientGuard, GUARDED_COMMANDS, type GuardPolicy, type GuardableClient } from './guard.js';
export { GUARDED_SERVICES, type GuardedService } from './guard-services.js';
export { createClientFactory, type ClientFactory, type ClientFactoryOptions, type Scope, type ScopeSummary, type SdkClient, type SdkClientClass, type UnguardedService } from './factory.js';
