/**
 * `@isolation/runtime/aws`: scoped AWS clients. A separate entry point, so code that only needs ids,
 * decorators and keys does not load the AWS SDK.
 */
export { keyPrefixOf, scopeLabel, DEFAULT_KEY_ATTRIBUTES, type ScopeDescription, type GuardedScope, type KeyAttributes } from './scope.js';
export { IsolationViolationError, type GuardRule } from './violation.js';
