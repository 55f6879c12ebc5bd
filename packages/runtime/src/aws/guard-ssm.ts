/**
 * The SSM Parameter Store rules of the isolation guard: a tenant or capsule scope's SSM client
 * touches only parameters under the scope's parameter prefix (`/tenants/acme/capsules/DEVUS/`,
 * tenant scope `/tenants/acme/`).
 *
 * - `GetParameter`, `GetParameters` (each of `Names`), `PutParameter`, `DeleteParameter`,
 *   `DeleteParameters`, `GetParameterHistory`, `LabelParameterVersion`, `UnlabelParameterVersion`:
 *   every name under the prefix. A name may be an ARN (`arn:aws:ssm:<region>:<account>:parameter/…`,
 *   read as the name after `parameter`) and, for the two reads, carry a `:<version>` or `:<label>`
 *   selector. A name without a leading `/` is outside every prefix (SSM reads it as a top-level
 *   name, or refuses it), as is the prefix itself without its trailing `/` (`…/DEV` is not `…/DEVX/`'s
 *   parent, but it is not ours either).
 * - `GetParametersByPath`: `Path` is the prefix or under it (its trailing `/` optional, as SSM
 *   reads it), so `Recursive` stays inside the scope too.
 * - `DescribeParameters` lists every parameter of the account unless a filter confines it, so it
 *   runs only with a `ParameterFilters` entry `Path` (`OneLevel` or `Recursive`) or `Name`
 *   (`Equals` or `BeginsWith`) whose every value lies under the prefix; filters are ANDed, so the
 *   others only narrow it. The legacy `Filters` member and `Shared: true` (parameters other accounts
 *   share, named by ARN) are refused: how they combine with the filters is not what the guard reads.
 * - Tags (`AddTagsToResource`, `RemoveTagsFromResource`, `ListTagsForResource`): `ResourceType`
 *   `Parameter` and `ResourceId` a name under the prefix.
 * - Everything else — commands, documents, sessions, automation, and any operation this list does
 *   not name — is refused, as are names the guard cannot read (characters SSM does not allow in a
 *   name, a malformed ARN or selector).
 *
 * The ARN's region and account are not checked: the guard confines names; which account's
 * parameters a client reaches is its credentials' business.
 */
import { describeMissing, describeValue, Failure, own, quote } from './guard-format.js';
import { inspectOperation, nameUnderPrefix, parseArn, pathUnderPrefix, type OperationRule, type ServiceTable } from './guard-names.js';
import type { CompiledPolicy } from './guard-policy.js';

/** What SSM allows in a parameter name (and a path). */
const NAME_CHARACTERS = /^[A-Za-z0-9_.\-/]+$/;
/** A version number or a label, after the name's `:`. */
const SELECTOR = /^[A-Za-z0-9_.-]+$/;

/** The name an SSM name member addresses, `undefined` when the guard cannot read it as SSM would. */
export function parameterNameOf(value: string, selector: boolean): string | undefined {
  let name = value;
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (arn?.service !== 'ssm' || !arn.resource.startsWith('parameter/')) return undefined;
    name = arn.resource.slice('parameter'.length);
  }
  const colon = name.indexOf(':');
  if (colon !== -1) {
    if (!selector || !SELECTOR.test(name.slice(colon + 1))) return undefined;
    name = name.slice(0, colon);
  }
  return NAME_CHARACTERS.test(name) ? name : undefined;
}

function wanted(c: CompiledPolicy, what: string): string {
  return `${what} under ${quote(c.parameterPrefix)}, the scope's parameter prefix (scope.parameterPrefix) — another tenant's, capsule's or the platform's parameters belong to its own scope`;
}

const NAME_WANTED = 'a parameter name';

function checkName(c: CompiledPolicy, value: unknown, place: string, selector = false): Failure | undefined {
  if (typeof value !== 'string') return new Failure('unverifiable-request', `${place} ${describeMissing(value)}`, wanted(c, NAME_WANTED));
  const name = parameterNameOf(value, selector);
  if (name === undefined) {
    const form = selector ? "'/name', '/name:<version or label>' or its ARN" : "'/name' or its ARN";
    return new Failure('unverifiable-request', `${place} = ${quote(value)}, which is not a parameter name the guard can read`, `${form}, in letters, digits and _ . - / — ${wanted(c, NAME_WANTED)}`);
  }
  if (nameUnderPrefix(name, c.parameterPrefix)) return undefined;
  return new Failure('parameter-scope', `${place} = ${quote(value)}${name === value ? '' : `, the parameter ${quote(name)}`}`, wanted(c, NAME_WANTED));
}

function checkNames(c: CompiledPolicy, value: unknown, place: string, selector: boolean): Failure | undefined {
  if (!Array.isArray(value)) return new Failure('unverifiable-request', `${place} ${describeMissing(value)}`, `an array of parameter names, each ${wanted(c, 'a name')}`);
  for (let i = 0; i < value.length; i += 1) {
    const failure = checkName(c, value[i], `${place}[${i}]`, selector);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function checkPath(c: CompiledPolicy, value: unknown, place: string): Failure | undefined {
  if (typeof value === 'string' && value.startsWith('/') && NAME_CHARACTERS.test(value) && pathUnderPrefix(value, c.parameterPrefix)) return undefined;
  return new Failure(typeof value === 'string' ? 'parameter-scope' : 'unverifiable-request', `${place} ${describeMissing(value)}`, wanted(c, 'a path that is the prefix or lies'));
}

const DESCRIBE_WANTED = "a ParameterFilters entry confining the list to the scope: { Key: 'Path', Option: 'Recursive' | 'OneLevel', Values: [paths] } or { Key: 'Name', Option: 'BeginsWith' | 'Equals', Values: [names] }, every value";

/** `DescribeParameters`: a filter that confines the list to the prefix; no legacy `Filters`, no `Shared`. */
function checkDescribe(input: object, c: CompiledPolicy): Failure | undefined {
  const legacy = own(input, 'Filters');
  if (legacy !== undefined) return new Failure('unverifiable-request', `Filters = ${describeValue(legacy)}, the legacy filter form`, `ParameterFilters: ${DESCRIBE_WANTED} ${wanted(c, '')}`);
  const shared = own(input, 'Shared');
  if (shared !== undefined && shared !== false) return new Failure('unbounded-operation', `Shared = ${describeValue(shared)}: parameters other accounts share`, "the account's own parameters (Shared: false); shared parameters belong to a platform client");
  const filters = own(input, 'ParameterFilters');
  if (filters !== undefined && !Array.isArray(filters)) return new Failure('unverifiable-request', `ParameterFilters ${describeMissing(filters)}`, `an array with ${DESCRIBE_WANTED} ${wanted(c, '')}`);
  let confined = false;
  for (let i = 0; i < (filters ?? []).length; i += 1) {
    const place = `ParameterFilters[${i}]`;
    const filter: unknown = (filters as unknown[])[i];
    if (typeof filter !== 'object' || filter === null) return new Failure('unverifiable-request', `${place} ${describeMissing(filter)}`, 'a filter object { Key, Option?, Values? }');
    const key = own(filter, 'Key');
    const option = own(filter, 'Option');
    if (key !== 'Path' && key !== 'Name') continue; // other keys only narrow the list
    const values = own(filter, 'Values');
    if (!Array.isArray(values) || values.length === 0) return new Failure('unverifiable-request', `${place}.Values ${describeMissing(values)}`, `values ${wanted(c, '')}`);
    if (key === 'Path') {
      if (option !== undefined && option !== 'Recursive' && option !== 'OneLevel') return new Failure('unverifiable-request', `${place}.Option = ${describeValue(option)}`, "'Recursive' or 'OneLevel' for a Path filter");
      for (let j = 0; j < values.length; j += 1) {
        const failure = checkPath(c, values[j], `${place}.Values[${j}]`);
        if (failure !== undefined) return failure;
      }
      confined = true;
      continue;
    }
    if (option === 'Contains') continue; // a name containing a text can be anyone's: narrows, does not confine
    if (option !== undefined && option !== 'Equals' && option !== 'BeginsWith') return new Failure('unverifiable-request', `${place}.Option = ${describeValue(option)}`, "'Equals', 'BeginsWith' or 'Contains' for a Name filter");
    for (let j = 0; j < values.length; j += 1) {
      const value: unknown = values[j];
      const valuePlace = `${place}.Values[${j}]`;
      const failure =
        option === 'BeginsWith'
          ? typeof value === 'string' && NAME_CHARACTERS.test(value) && value.startsWith(c.parameterPrefix)
            ? undefined
            : new Failure(typeof value === 'string' ? 'parameter-scope' : 'unverifiable-request', `${valuePlace} ${describeMissing(value)}`, wanted(c, 'a name beginning'))
          : checkName(c, value, valuePlace);
      if (failure !== undefined) return failure;
    }
    confined = true;
  }
  if (confined) return undefined;
  return new Failure('unbounded-operation', 'DescribeParametersCommand without a filter confining it to the scope (it would list every parameter of the account)', `${DESCRIBE_WANTED} ${wanted(c, '')}`);
}

/** The tag calls: `ResourceType: 'Parameter'` and a `ResourceId` under the prefix. */
function checkTagged(input: object, c: CompiledPolicy): Failure | undefined {
  const type = own(input, 'ResourceType');
  if (type !== 'Parameter') {
    return new Failure('unbounded-operation', `ResourceType ${describeMissing(type)}`, "'Parameter' — tags of documents, instances, maintenance windows and other resources belong to a platform or operator client");
  }
  return checkName(c, own(input, 'ResourceId'), 'ResourceId');
}

const byName: OperationRule['check'] = (input, c) => checkName(c, own(input, 'Name'), 'Name');

const OPERATIONS: ReadonlyMap<string, OperationRule> = new Map<string, OperationRule>([
  ['GetParameter', { members: ['Name', 'WithDecryption'], check: (input, c) => checkName(c, own(input, 'Name'), 'Name', true) }],
  ['GetParameters', { members: ['Names', 'WithDecryption'], check: (input, c) => checkNames(c, own(input, 'Names'), 'Names', true) }],
  ['GetParametersByPath', { members: ['Path', 'Recursive', 'ParameterFilters', 'WithDecryption', 'MaxResults', 'NextToken'], check: (input, c) => checkPath(c, own(input, 'Path'), 'Path') }],
  ['PutParameter', { members: ['Name', 'Value', 'Description', 'Type', 'KeyId', 'Overwrite', 'AllowedPattern', 'Tags', 'Tier', 'Policies', 'DataType'], check: byName }],
  ['DeleteParameter', { members: ['Name'], check: byName }],
  ['DeleteParameters', { members: ['Names'], check: (input, c) => checkNames(c, own(input, 'Names'), 'Names', false) }],
  ['GetParameterHistory', { members: ['Name', 'WithDecryption', 'MaxResults', 'NextToken'], check: byName }],
  ['DescribeParameters', { members: ['Filters', 'ParameterFilters', 'MaxResults', 'NextToken', 'Shared'], check: checkDescribe }],
  ['LabelParameterVersion', { members: ['Name', 'Labels', 'ParameterVersion'], check: byName }],
  ['UnlabelParameterVersion', { members: ['Name', 'ParameterVersion', 'Labels'], check: byName }],
  ['AddTagsToResource', { members: ['ResourceType', 'ResourceId', 'Tags'], check: checkTagged }],
  ['RemoveTagsFromResource', { members: ['ResourceType', 'ResourceId', 'TagKeys'], check: checkTagged }],
  ['ListTagsForResource', { members: ['ResourceType', 'ResourceId'], check: checkTagged }],
]);

/** Every operation a guarded SSM client runs, with the input members it may carry. */
export const GUARDED_SSM_OPERATIONS: ReadonlyMap<string, readonly string[]> = new Map([...OPERATIONS].map(([operation, rule]) => [operation, rule.members]));

const SSM: ServiceTable = {
  service: 'SSM',
  operations: OPERATIONS,
  allowed: (c) => `Parameter Store calls on names under ${quote(c.parameterPrefix)}, the scope's parameter prefix — ${[...OPERATIONS.keys()].join(', ')}; commands, documents, sessions, automation and public parameters belong to a platform or operator client`,
};

/** One SSM operation's input: the first failure, or `undefined`. */
export function inspectSsm(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  return inspectOperation(SSM, operation, input, c, label);
}
