/**
 * Physical S3 bucket names per scope, from logical names the application declares once
 * (`createClientFactory({ buckets })`), like tables.
 *
 * The default shares one bucket per logical name among all scopes: the bucket is named by the
 * logical name as is (`uploads`), and scopes are kept apart by object key prefix
 * (`tenants/acme/capsules/DEVUS/`, see `objectPrefixOf`), which the S3 guard enforces on every
 * key. A `bucketNaming` function gives scopes buckets of their own instead; the prefix still applies.
 */
import type { ScopeDescription } from './scope.js';

/** Maps a logical bucket name to the physical one a scope uses. */
export type BucketNaming = (logicalName: string, scope: ScopeDescription) => string;

/** The default: one bucket per logical name, shared by every scope (separated by object prefix). */
export const defaultBucketNaming: BucketNaming = (logicalName) => logicalName;

/** S3's rules for bucket names (general purpose buckets): 3–63 of `[a-z0-9.-]`, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Thrown for a bucket name the factory cannot hand out. */
export class BucketNameError extends Error {
  override readonly name = 'BucketNameError';
}

/** Checks a logical bucket name (as a bucket name: the default uses it as is). */
export function checkLogicalBucketName(logicalName: unknown): string {
  if (typeof logicalName === 'string' && BUCKET_NAME.test(logicalName) && !logicalName.includes('..')) return logicalName;
  const shown = typeof logicalName === 'string' ? JSON.stringify(logicalName) : `a ${logicalName === null ? 'null' : typeof logicalName}`;
  throw new BucketNameError(`logical bucket name ${shown} is invalid; expected an S3 bucket name: 3–63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit`);
}

export function physicalBucketName(naming: BucketNaming, logicalName: string, scope: ScopeDescription, known: ReadonlySet<string> | undefined): string {
  if (known !== undefined && !known.has(logicalName)) {
    const declared = [...known].map((name) => `'${name}'`).join(', ');
    throw new BucketNameError(`bucket '${logicalName}' is not one of the factory's buckets (${declared === '' ? 'none declared' : declared}); add it to createClientFactory({ buckets })`);
  }
  checkLogicalBucketName(logicalName);
  const physical = naming(logicalName, scope);
  if (typeof physical !== 'string' || !BUCKET_NAME.test(physical) || physical.includes('..')) {
    throw new BucketNameError(`bucket naming turned '${logicalName}' into ${JSON.stringify(physical)}, which S3 refuses; expected 3–63 lowercase letters, digits, '.' and '-'`);
  }
  return physical;
}
