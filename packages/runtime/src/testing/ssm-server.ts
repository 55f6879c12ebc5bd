/**
 * A small SSM Parameter Store endpoint on 127.0.0.1 speaking the AWS JSON 1.1 protocol the
 * installed `@aws-sdk/client-ssm` uses (`AwsJson1_1Protocol`: `X-Amz-Target: AmazonSSM.<Operation>`),
 * with an in-memory store and every request recorded. It runs the Parameter Store operations:
 * PutParameter (versions, `Overwrite`), GetParameter, GetParameters, GetParametersByPath,
 * GetParameterHistory, DeleteParameter(s), DescribeParameters, Label/UnlabelParameterVersion and
 * the tag calls; anything else is an `UnknownOperationException`.
 *
 * It reads names as SSM does: an ARN (`arn:aws:ssm:<region>:<account>:parameter/<name>`), a
 * `:<version>` or `:<label>` selector on reads, a top-level name with or without its leading `/`;
 * a hierarchical name must begin with `/` ("a fully qualified name") and has no empty segment. A
 * path lists the parameters one level below it (`Recursive`: at any depth), its trailing `/`
 * optional. ParameterFilters (`Path`, `Name`, `Type`, `Label`, `KeyId`, `tag:<key>`) are ANDed,
 * the values of one filter ORed.
 */
import { pageOf, ServiceError, startJsonProtocolServer, type JsonOperationHandler, type JsonProtocolServer, type LocalAccountOptions } from './json-protocol-server.js';

export type SsmServerOptions = LocalAccountOptions;
export type SsmServer = JsonProtocolServer;

interface ParameterVersion {
  readonly Value: string;
  readonly Type: string;
  readonly Version: number;
  readonly Description: string | undefined;
  readonly KeyId: string | undefined;
  readonly DataType: string;
  readonly LastModifiedDate: number;
  Labels: string[];
}

interface StoredParameter {
  readonly versions: ParameterVersion[];
  readonly tags: Map<string, string>;
}

type Body = Readonly<Record<string, unknown>>;

const NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const ARN = /^arn:aws(?:-[a-z]+)*:ssm:[a-z0-9-]+:\d{12}:parameter(\/.*)$/;
const invalid = (message: string): ServiceError => new ServiceError('ValidationException', message);

/** A name as SSM stores it, and the selector after its `:` when reads allow one. */
function readName(raw: unknown, selectorAllowed: boolean): { readonly name: string; readonly selector: string | undefined } {
  if (typeof raw !== 'string') throw invalid('Parameter name is required.');
  let text = raw;
  if (text.startsWith('arn:')) {
    const arn = ARN.exec(text);
    if (arn === null) throw invalid(`Invalid parameter ARN: ${raw}`);
    text = arn[1] as string;
  }
  let selector: string | undefined;
  const colon = text.indexOf(':');
  if (colon !== -1) {
    if (!selectorAllowed) throw invalid(`Parameter name ${raw} is not valid.`);
    selector = text.slice(colon + 1);
    text = text.slice(0, colon);
  }
  if (!NAME.test(text)) throw invalid(`Parameter name ${raw} is not valid: use letters, digits and _ . - /`);
  const bare = text.startsWith('/') ? text.slice(1) : text;
  if (!bare.includes('/')) return { name: bare, selector };
  if (!text.startsWith('/')) throw invalid('Parameter name must be a fully qualified name.');
  if (text.includes('//') || text.endsWith('/')) throw invalid(`Parameter name ${raw} has an empty path segment.`);
  return { name: text, selector };
}

/** The name as a path (`foo` → `/foo`), for hierarchy filters and ARNs. */
const asPath = (name: string): string => (name.startsWith('/') ? name : `/${name}`);

function readPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || !NAME.test(raw) || raw.includes('//')) throw invalid(`The parameter path ${JSON.stringify(raw)} is not valid: it must begin with "/" and use letters, digits and _ . - /`);
  return raw === '/' ? '' : raw.replace(/\/$/, '');
}

function below(name: string, folder: string, recursive: boolean): boolean {
  const path = asPath(name);
  if (!path.startsWith(`${folder}/`)) return false;
  return recursive || !path.slice(folder.length + 1).includes('/');
}

function stringList(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((value): value is string => typeof value === 'string') : [];
}

export async function startSsmServer(options: SsmServerOptions = {}): Promise<SsmServer> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const store = new Map<string, StoredParameter>();
  const arnOf = (name: string): string => `arn:aws:ssm:${region}:${accountId}:parameter${asPath(name)}`;

  function existing(name: string): StoredParameter {
    const stored = store.get(name);
    if (stored === undefined) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
    return stored;
  }

  function selected(raw: unknown): { readonly name: string; readonly version: ParameterVersion; readonly selector: string | undefined } {
    const { name, selector } = readName(raw, true);
    const { versions } = existing(name);
    const latest = versions[versions.length - 1] as ParameterVersion;
    if (selector === undefined) return { name, version: latest, selector };
    const version = /^\d+$/.test(selector) ? versions.find((candidate) => candidate.Version === Number(selector)) : versions.find((candidate) => candidate.Labels.includes(selector));
    if (version === undefined) throw new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${name}.`);
    return { name, version, selector };
  }

  const valueOf = (name: string, version: ParameterVersion, selector?: string): Record<string, unknown> => ({
    Name: name,
    Type: version.Type,
    Value: version.Value,
    Version: version.Version,
    ...(selector === undefined ? {} : { Selector: `:${selector}` }),
    LastModifiedDate: version.LastModifiedDate,
    ARN: arnOf(name),
    DataType: version.DataType,
  });

  const metadataOf = (name: string, version: ParameterVersion): Record<string, unknown> => ({
    Name: name,
    ARN: arnOf(name),
    Type: version.Type,
    ...(version.Description === undefined ? {} : { Description: version.Description }),
    ...(version.KeyId === undefined ? {} : { KeyId: version.KeyId }),
    Version: version.Version,
    LastModifiedDate: version.LastModifiedDate,
    Tier: 'Standard',
    Policies: [],
    DataType: version.DataType,
  });

  /** Whether the latest version of `name` passes one ParameterFilters entry. */
  function passes(name: string, stored: StoredParameter, filter: unknown): boolean {
    const { Key: key, Option: option, Values: rawValues } = (filter ?? {}) as { Key?: unknown; Option?: unknown; Values?: unknown };
    const values = stringList(rawValues);
    const latest = stored.versions[stored.versions.length - 1] as ParameterVersion;
    if (key === 'Path') {
      if (option !== undefined && option !== 'OneLevel' && option !== 'Recursive') throw new ServiceError('InvalidFilterOption', `The following filter option is not valid: ${String(option)}.`);
      return values.some((value) => below(name, readPath(value), option === 'Recursive'));
    }
    if (key === 'Name') {
      const path = asPath(name);
      const wanted = values.map((value) => (option === 'Contains' ? value : `/${value.replace(/^\/+/, '')}`));
      if (option === 'BeginsWith') return wanted.some((value) => path.startsWith(value));
      if (option === 'Contains') return wanted.some((value) => path.includes(value));
      if (option !== undefined && option !== 'Equals') throw new ServiceError('InvalidFilterOption', `The following filter option is not valid: ${String(option)}.`);
      return wanted.includes(path);
    }
    if (key === 'Type') return values.includes(latest.Type);
    if (key === 'KeyId') return latest.KeyId !== undefined && values.includes(latest.KeyId);
    if (key === 'Label') return stored.versions.some((version) => version.Labels.some((label) => values.includes(label)));
    if (typeof key === 'string' && key.startsWith('tag:')) {
      const tag = stored.tags.get(key.slice(4));
      return tag !== undefined && (values.length === 0 || values.includes(tag));
    }
    throw new ServiceError('InvalidFilterKey', `The following filter key is not valid: ${String(key)}.`);
  }

  function matching(filters: unknown, include: (name: string) => boolean): [string, StoredParameter][] {
    const list: unknown[] = Array.isArray(filters) ? filters : [];
    return [...store].filter(([name, stored]) => include(name) && list.every((filter) => passes(name, stored, filter))).sort(([a], [b]) => (a < b ? -1 : 1));
  }


  function put(body: Body): unknown {
    const { name } = readName(body['Name'], false);
    const value = body['Value'];
    if (typeof value !== 'string' || value === '') throw invalid('Parameter value is required.');
    if (/^(aws|ssm)/i.test(name.replace(/^\//, ''))) throw invalid('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
    const stored = store.get(name);
    const previous = stored?.versions[stored.versions.length - 1];
    if (previous !== undefined && body['Overwrite'] !== true) throw new ServiceError('ParameterAlreadyExists', `The parameter ${name} already exists.`);
    const type = typeof body['Type'] === 'string' ? body['Type'] : previous?.Type;
    if (type !== 'String' && type !== 'StringList' && type !== 'SecureString') throw invalid('A parameter type is required when you create a parameter.');
    const version: ParameterVersion = {
      Value: value,
      Type: type,
      Version: (previous?.Version ?? 0) + 1,
      Description: typeof body['Description'] === 'string' ? body['Description'] : previous?.Description,
      KeyId: type === 'SecureString' ? (typeof body['KeyId'] === 'string' ? body['KeyId'] : 'alias/aws/ssm') : undefined,
      DataType: typeof body['DataType'] === 'string' ? body['DataType'] : 'text',
      LastModifiedDate: Date.now() / 1000,
      Labels: [],
    };
    const target = stored ?? { versions: [], tags: new Map<string, string>() };
    target.versions.push(version);
    for (const tag of Array.isArray(body['Tags']) ? (body['Tags'] as { Key?: unknown; Value?: unknown }[]) : []) {
      if (typeof tag.Key === 'string') target.tags.set(tag.Key, String(tag.Value ?? ''));
    }
    store.set(name, target);
    return { Version: version.Version, Tier: 'Standard' };
  }

  function tagged(body: Body): StoredParameter {
    if (body['ResourceType'] !== 'Parameter') throw new ServiceError('InvalidResourceType', `This test server keeps tags of parameters only; found ResourceType ${JSON.stringify(body['ResourceType'])}.`);
    const stored = store.get(readName(body['ResourceId'], false).name);
    if (stored === undefined) throw new ServiceError('InvalidResourceId', `The resource ID ${String(body['ResourceId'])} is not valid.`);
    return stored;
  }

  function label(body: Body, remove: boolean): unknown {
    const { name } = readName(body['Name'], false);
    const { versions } = existing(name);
    const number = typeof body['ParameterVersion'] === 'number' ? body['ParameterVersion'] : (versions[versions.length - 1] as ParameterVersion).Version;
    const version = versions.find((candidate) => candidate.Version === number);
    if (version === undefined) throw new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${number} of ${name}.`);
    const labels = stringList(body['Labels']);
    if (remove) {
      const removed = labels.filter((name) => version.Labels.includes(name));
      version.Labels = version.Labels.filter((name) => !labels.includes(name));
      return { RemovedLabels: removed, InvalidLabels: labels.filter((name) => !removed.includes(name)) };
    }
    for (const other of versions) other.Labels = other.Labels.filter((name) => !labels.includes(name));
    version.Labels.push(...labels);
    return { InvalidLabels: [], ParameterVersion: number };
  }

  const operations: Record<string, JsonOperationHandler> = {
    PutParameter: put,
    GetParameter: (body) => {
      const { name, version, selector } = selected(body['Name']);
      return { Parameter: valueOf(name, version, selector) };
    },
    GetParameters: (body) => {
      const found: unknown[] = [];
      const invalidNames: string[] = [];
      for (const raw of stringList(body['Names'])) {
        try {
          const { name, version, selector } = selected(raw);
          found.push(valueOf(name, version, selector));
        } catch (error) {
          if (!(error instanceof ServiceError) || error.type === 'ValidationException') throw error;
          invalidNames.push(raw);
        }
      }
      return { Parameters: found, InvalidParameters: invalidNames };
    },
    GetParametersByPath: (body) => {
      const folder = readPath(body['Path']);
      const all = matching(body['ParameterFilters'], (name) => below(name, folder, body['Recursive'] === true));
      const { items, next } = pageOf(all, body, 10);
      return { Parameters: items.map(([name, stored]) => valueOf(name, stored.versions[stored.versions.length - 1] as ParameterVersion)), ...(next === undefined ? {} : { NextToken: next }) };
    },
    GetParameterHistory: (body) => {
      const { name } = readName(body['Name'], false);
      const { items, next } = pageOf(existing(name).versions, body, 50);
      return {
        Parameters: items.map((version) => ({ ...metadataOf(name, version), Value: version.Value, Labels: version.Labels })),
        ...(next === undefined ? {} : { NextToken: next }),
      };
    },
    DeleteParameter: (body) => {
      const { name } = readName(body['Name'], false);
      existing(name);
      store.delete(name);
      return {};
    },
    DeleteParameters: (body) => {
      const deleted: string[] = [];
      const missing: string[] = [];
      for (const raw of stringList(body['Names'])) {
        const { name } = readName(raw, false);
        (store.delete(name) ? deleted : missing).push(raw);
      }
      return { DeletedParameters: deleted, InvalidParameters: missing };
    },
    DescribeParameters: (body) => {
      if (body['Filters'] !== undefined && body['ParameterFilters'] !== undefined) throw invalid('You can use either Filters or ParameterFilters in a single request.');
      const legacy = (Array.isArray(body['Filters']) ? body['Filters'] : []).map((filter: { Key?: unknown; Values?: unknown }) => ({ ...filter, Option: filter.Key === 'Name' ? 'BeginsWith' : undefined }));
      const all = matching([...legacy, ...(Array.isArray(body['ParameterFilters']) ? body['ParameterFilters'] : [])], () => true);
      const { items, next } = pageOf(all, body, 10);
      return { Parameters: items.map(([name, stored]) => metadataOf(name, stored.versions[stored.versions.length - 1] as ParameterVersion)), ...(next === undefined ? {} : { NextToken: next }) };
    },
    LabelParameterVersion: (body) => label(body, false),
    UnlabelParameterVersion: (body) => label(body, true),
    AddTagsToResource: (body) => {
      const stored = tagged(body);
      for (const tag of Array.isArray(body['Tags']) ? (body['Tags'] as { Key?: unknown; Value?: unknown }[]) : []) {
        if (typeof tag.Key === 'string') stored.tags.set(tag.Key, String(tag.Value ?? ''));
      }
      return {};
    },
    RemoveTagsFromResource: (body) => {
      const stored = tagged(body);
      for (const key of stringList(body['TagKeys'])) stored.tags.delete(key);
      return {};
    },
    ListTagsForResource: (body) => ({ TagList: [...tagged(body).tags].map(([Key, Value]) => ({ Key, Value })) }),
  };

  return startJsonProtocolServer({ targetPrefix: 'AmazonSSM', contentType: 'application/x-amz-json-1.1', operations, clear: () => store.clear() });
}
