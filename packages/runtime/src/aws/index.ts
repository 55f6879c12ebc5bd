/**
 * `@isolation/runtime/aws`: scoped AWS clients. A separate entry point, so code that only needs ids,
 * decorators and keys does not load the AWS SDK.
 */
export { keyPrefixOf, scopeLabel, DEFAULT_KEY_ATTRIBUTES, type ScopeDescription, type GuardedScope, type KeyAttributes } from './scope.js';
export { IsolationViolationError, type GuardRule } from './violation.js';
export { OperatorCredentials, OperatorCredentialsError, AssumeRoleError, type OperatorCredentialOptions, type OperatorProviderOptions, type SharedCredentialProvider } from './credentials.js';
export { sessionPolicyFor, SessionPolicyError, SCOPED_ITEM_ACTIONS, SESSION_POLICY_MAX_CHARACTERS, type IamPolicyDocument, type IamPolicyStatement } from './session-policy.js';
export { defaultTableNaming, TableNameError, type TableNaming } from './tables.js';
export { addIsolationGuard, inspectCommand, hasIsolationGuard, GUARDED_COMMANDS, ISOLATION_GUARD_NAME, type GuardPolicy, type GuardableClient, type GuardMiddleware, type GuardMiddlewareOptions } from './guard.js';
export { createClientFactory, type ClientFactory, type ClientFactoryOptions, type Scope, type ScopeSummary, type SdkClient, type SdkClientClass } from './factory.js';
