import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createClientFactory, TableNameError, type ClientFactoryOptions } from '../src/aws/index.js';
import { InvalidIdError } from '../src/ids.js';

const OPTIONS: ClientFactoryOptions = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  unguarded: [{ client: 'STS', reason: 'GetCallerIdentity only, for diagnostics' }],
};

describe('createClientFactory scopes', () => {
  it('caches scopes, and clients per scope and class', () => {
    const aws = createClientFactory(OPTIONS);
    const dev = aws.capsule('acme', 'DEVUS');
    expect(aws.capsule('acme', 'DEVUS')).toBe(dev);
    expect(dev.client(STSClient)).toBe(dev.client(STSClient));
    expect(dev.client(DynamoDBClient)).not.toBe(aws.capsule('acme', 'PRODUS').client(DynamoDBClient));
    expect(dev.dynamo()).toBeInstanceOf(DynamoDBDocumentClient);
    expect(dev.dynamo()).toBe(dev.dynamo());
    expect(aws.tenant('acme')).not.toBe(aws.capsule('acme', 'DEVUS'));
    aws.destroy();
  });

  it('gives each scope its key prefix, tables and a plain-data description', () => {
    const aws = createClientFactory({ ...OPTIONS, tables: ['platform_data'] });
    const dev = aws.capsule('acme', 'DEVUS');
    expect(dev.keyPrefix).toBe('TENANT#acme#CAPSULE#DEVUS#');
    expect(aws.tenant('acme').keyPrefix).toBe('TENANT#acme#');
    expect(aws.platform().keyPrefix).toBe('');
    expect(dev.table('platform_data')).toBe('DEVUS.platform_data');
    expect(aws.tenant('acme').table('platform_data')).toBe('platform_data');
    expect(() => dev.table('billing')).toThrow(/table 'billing' is not one of the factory's tables \('platform_data'\); add it to createClientFactory\(\{ tables \}\)/);
    dev.client(STSClient);
    expect(JSON.parse(JSON.stringify(dev.describe()))).toEqual({
      scope: { kind: 'capsule', tenantId: 'acme', capsuleId: 'DEVUS' },
      label: 'capsule acme/DEVUS',
      keyPrefix: 'TENANT#acme#CAPSULE#DEVUS#',
      objectPrefix: 'tenants/acme/capsules/DEVUS/',
      parameterPrefix: '/tenants/acme/capsules/DEVUS/',
      guarded: true,
      tables: { platform_data: 'DEVUS.platform_data' },
      buckets: {},
      queues: {},
      topics: {},
      eventBuses: {},
      clients: ['STSClient'],
    });
    expect(aws.platform().describe().guarded).toBe(false);
    aws.destroy();
  });

  it('takes a table naming function', () => {
    const aws = createClientFactory({ ...OPTIONS, tableNaming: (name, scope) => (scope.kind === 'capsule' ? `${name}-${scope.capsuleId.toLowerCase()}` : name) });
    expect(aws.capsule('acme', 'DEVUS').table('platform_data')).toBe('platform_data-devus');
    const broken = createClientFactory({ ...OPTIONS, tableNaming: () => 'a b' });
    expect(() => broken.platform().table('x')).toThrow(/table naming turned 'x' into "a b", which DynamoDB refuses/);
  });

  it('makes physical table names injective: a capsule code and a logical name are joined by ".", which neither may contain', () => {
    const aws = createClientFactory({ ...OPTIONS, tables: ['data', 'x_data'] });
    expect(aws.capsule('acme', 'DEV').table('x_data')).toBe('DEV.x_data');
    expect(aws.capsule('acme', 'DEV_x').table('data')).toBe('DEV_x.data');
    expect(aws.tenant('acme').table('x_data')).toBe('x_data');
    expect(() => createClientFactory({ ...OPTIONS, tables: ['x.data'] })).toThrow(/logical table name "x\.data" is invalid \('\.' separates a capsule code from the logical name/);
    expect(() => createClientFactory(OPTIONS).capsule('acme', 'DEV').table('x.data')).toThrow(TableNameError);
  });

  it('validates every id before looking in the cache: a non-string that stringifies to a cached key is refused', () => {
    const aws = createClientFactory(OPTIONS);
    aws.tenant('acme');
    aws.capsule('acme', 'DEV');
    aws.operator('123456789012');
    expect(() => aws.tenant(['acme'] as never)).toThrow(InvalidIdError);
    expect(() => aws.capsule(['acme'] as never, 'DEV')).toThrow(InvalidIdError);
    expect(() => aws.capsule('acme', ['DEV'] as never)).toThrow(InvalidIdError);
    expect(() => aws.operator(['123456789012'] as never)).toThrow(/12-digit/);
    expect(() => aws.operator('123456789012', { roleName: 'a|b' })).toThrow(/IAM role name/);
    aws.destroy();
  });

  it('refuses invalid ids before a scope exists: #, empty, too long, control characters', () => {
    const aws = createClientFactory(OPTIONS);
    for (const bad of ['acme#CAPSULE#PROD', '', 'x'.repeat(65), 'ac\u0000me', 'ac\nme']) {
      expect(() => aws.tenant(bad)).toThrow(InvalidIdError);
      expect(() => aws.capsule(bad, 'DEV')).toThrow(InvalidIdError);
      expect(() => aws.capsule('acme', bad)).toThrow(InvalidIdError);
    }
    expect(() => aws.tenant('acme#CAPSULE#PROD')).toThrow(/'#' is the key delimiter/);
  });

  it('bounds the scope cache and destroys the idle clients of evicted scopes', () => {
    const aws = createClientFactory({ ...OPTIONS, maxScopes: 2 });
    const first = aws.capsule('acme', 'DEV').client(DynamoDBClient);
    let destroyed = 0;
    const destroy = first.destroy.bind(first);
    first.destroy = () => {
      destroyed += 1;
      destroy();
    };
    aws.capsule('acme', 'STAGE');
    aws.capsule('acme', 'PROD');
    expect(destroyed).toBe(1);
    expect(aws.capsule('acme', 'DEV').client(DynamoDBClient)).not.toBe(first);
    aws.destroy();
  });

  it('guards tenant and capsule DynamoDB clients, not platform ones: a refused command never reaches the network', async () => {
    const aws = createClientFactory(OPTIONS);
    // 127.0.0.1:1 refuses connections: reaching the network would fail differently.
    await expect(aws.capsule('acme', 'DEV').client(DynamoDBClient).send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'IsolationViolationError', rule: 'unbounded-operation' });
    await expect(aws.platform().client(DynamoDBClient).send(new ListTablesCommand({}))).rejects.not.toMatchObject({ name: 'IsolationViolationError' });
    aws.destroy();
  });
});
