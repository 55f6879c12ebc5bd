/** What a repository takes from the scope that opens it: kept to this, so the repository needs no factory. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyAttributes, ScopeDescription } from '../aws/scope.js';
import type { IsolationViolationError } from '../aws/violation.js';

export interface RepositoryScope {
  readonly description: ScopeDescription;
  /** The scope's guarded Document client (tenant and capsule scopes): every request goes through it. */
  dynamo(): DynamoDBDocumentClient;
  /** The physical name of a logical table in this scope. */
  table(logicalName: string): string;
}

export interface RepositorySettings {
  /** The table's key attribute names (`pk`, `sk` by default). */
  readonly keys: KeyAttributes;
  /** The factory's `onViolation`, told of every refusal before it is thrown. */
  readonly onViolation: ((error: IsolationViolationError) => void) | undefined;
}
