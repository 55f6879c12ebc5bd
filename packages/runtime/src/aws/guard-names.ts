/**
 * What the SSM and Secrets Manager rules share: ARNs taken apart, names and paths read against the
 * scope's parameter prefix, and the dispatch of an operation to its rule, which refuses operations
 * and input members the rules do not know. An unknown member is refused rather than ignored: an SDK
 * newer than these rules could serialize it, and it might name a parameter or secret.
 */
import { describeMissing, describeValue, Failure } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account, colons included: `parameter/tenants/acme/db:3`, `secret:/tenants/acme/db-AbCdEf`. */
  readonly resource: string;
}

const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

/** `arn:<partition>:<service>:<region>:<account>:<resource>` with a well-formed partition, region and account; else `undefined`. */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  const [head, partition = '', service = '', region = '', account = ''] = parts;
  if (parts.length < 6 || head !== 'arn' || !PARTITION.test(partition) || !REGION.test(region) || !ACCOUNT.test(account)) return undefined;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/**
 * Whether `name` lies under `prefix` (which ends in `/`): something after it, and no empty, `.` or
 * `..` segment there — a doubled or trailing slash, or a dot segment a service or proxy might fold.
 * Case counts: ids are case-sensitive, so `/tenants/ACME/` is another tenant's prefix.
 */
export function nameUnderPrefix(name: string, prefix: string): boolean {
  if (name.length <= prefix.length || !name.startsWith(prefix)) return false;
  for (const segment of name.slice(prefix.length).split('/')) if (segment === '' || segment === '.' || segment === '..') return false;
  return true;
}

/** Whether the hierarchy `path` (its trailing `/` optional, as SSM reads it) is the prefix itself or lies under it. */
export function pathUnderPrefix(path: string, prefix: string): boolean {
  const folder = path.endsWith('/') ? path.slice(0, -1) : path;
  return `${folder}/` === prefix || nameUnderPrefix(folder, prefix);
}

/** One operation a guarded client runs: its input members (as the SDK's schema names them) and its check. */
export interface OperationRule {
  readonly members: readonly string[];
  readonly check: (input: object, c: CompiledPolicy) => Failure | undefined;
}

/** What a service's rules say about operations outside their table. */
export interface ServiceTable {
  /** `SSM`, `Secrets Manager`. */
  readonly service: string;
  readonly operations: ReadonlyMap<string, OperationRule>;
  /** What a guarded client of the service runs, and where the rest belongs. */
  readonly allowed: (c: CompiledPolicy) => string;
}

/** One operation's input, judged by its rule: the first failure, or `undefined`. */
export function inspectOperation(table: ServiceTable, operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  const rule = table.operations.get(operation);
  if (rule === undefined) {
    return new Failure('unbounded-operation', `${label ?? `${operation}Command`}, which is not one of the commands a guarded ${table.service} client runs`, table.allowed(c));
  }
  if (typeof input !== 'object' || input === null) return new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  for (const member of Object.keys(input)) {
    const value = (input as Record<string, unknown>)[member];
    if (value === undefined || rule.members.includes(member)) continue;
    return new Failure(
      'unverifiable-request',
      `${member} = ${describeValue(value)}, a member ${operation} does not have as far as the guard knows`,
      `only ${operation}'s members (${rule.members.join(', ')}); if a newer SDK added this one, the guard's rules must learn it first`,
    );
  }
  return rule.check(input, c);
}
