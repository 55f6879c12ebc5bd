/**
 * Real DynamoDB for tests, no mocks: dynalite (pure JS, in-process, in-memory) and DynamoDB Local
 * (AWS's own jar, spawned with Java on a free port), the test table (`pk`/`sk` strings and a GSI
 * `gsi1` on `gsi1pk`/`gsi1sk`), and raw SDK clients with dummy static credentials.
 *
 * The clients built here are unguarded on purpose: tests seed and inspect with them, and add the
 * guard under test themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { createClientFactory, type ClientFactory } from '../../src/aws/factory.js';
import type { KeyAttributes } from '../../src/aws/scope.js';

const require = createRequire(import.meta.url);

export type LocalDynamoKind = 'dynalite' | 'dynamodb-local';

export interface LocalDynamo {
  readonly kind: LocalDynamoKind;
  /** For test names: `dynalite (in-process DynamoDB)`, `DynamoDB Local (AWS's jar)`. */
  readonly label: string;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** TransactWriteItems / TransactGetItems (dynalite has neither). */
  readonly supportsTransactions: boolean;
  /** HTTP requests the server has received so far (dynalite only: it runs in this process). */
  readonly requestCount: (() => number) | undefined;
  stop(): Promise<void>;
}

/** Key attributes of the test table: `pk`, `sk`, and index `gsi1` partitioned by `gsi1pk`. */
export const TEST_KEYS: KeyAttributes = { partitionKey: 'pk', sortKey: 'sk', indexes: { gsi1: 'gsi1pk' } };

export const DUMMY_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

type Dynalite = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/** dynalite in this process on 127.0.0.1, in memory; `onRequest` sees each request as it arrives (its headers: who signed it). */
export async function startDynalite(options: { readonly onRequest?: (request: IncomingMessage) => void } = {}): Promise<LocalDynamo> {
  const dynalite = require('dynalite') as Dynalite;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let requests = 0;
  server.on('request', (request: IncomingMessage) => {
    requests += 1;
    options.onRequest?.(request);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    kind: 'dynalite',
    label: 'dynalite (in-process DynamoDB)',
    endpoint: `http://127.0.0.1:${port}`,
    supportsTransactions: false,
    requestCount: () => requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error instanceof Error ? reject(error) : resolve()));
      }),
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The directory holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib`, from the `local-dynamo` package. */
export function dynamoDbLocalDirectory(): string {
  return join(dirname(require.resolve('local-dynamo/package.json')), 'aws_dynamodb_local');
}

/**
 * DynamoDB Local (AWS's jar) in memory on a free port: resolves once it answers ListTables, or
 * rejects after `timeoutMs` (the process is then killed) or if Java exits first.
 */
export async function startDynamoDbLocal(options: { readonly timeoutMs?: number } = {}): Promise<LocalDynamo> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const directory = dynamoDbLocalDirectory();
  const port = await freePort();
  const child = spawn('java', [`-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`, '-jar', join(directory, 'DynamoDBLocal.jar'), '-inMemory', '-port', String(port)], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${String(code)}`}`;
  });
  child.once('error', (error) => {
    exited = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `could not start: no \`java\` on the PATH. These tests run AWS's DynamoDB Local, which needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)` : `failed to start: ${error.message}`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const probe = lowLevelClient(endpoint, { maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`DynamoDB Local ${exited} before answering ListTables:\n${output}`);
      try {
        await probe.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2000) });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer ListTables on ${endpoint} within ${timeoutMs} ms (last error: ${String(error)}):\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    await stopProcess(child);
    throw error;
  } finally {
    probe.destroy();
  }
  return {
    kind: 'dynamodb-local',
    label: "DynamoDB Local (AWS's jar)",
    endpoint,
    supportsTransactions: true,
    requestCount: undefined,
    stop: () => stopProcess(child),
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  try {
    await exit;
  } finally {
    clearTimeout(timer);
  }
}

export async function startLocalDynamo(kind: LocalDynamoKind): Promise<LocalDynamo> {
  return kind === 'dynalite' ? startDynalite() : startDynamoDbLocal();
}

export interface ClientOptions {
  /** Static credentials or a provider; dummy static credentials by default. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly maxAttempts?: number;
}

/** A raw (unguarded) low-level client for `endpoint`: region us-east-1, dummy credentials. */
export function lowLevelClient(endpoint: string, options: ClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: options.credentials ?? DUMMY_CREDENTIALS, maxAttempts: options.maxAttempts ?? 2 });
}

/** A Document client on `base` (sharing its middleware stack). */
export function documentClient(base: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

/** Creates the test table (`pk`/`sk`, GSI `gsi1` on `gsi1pk`/`gsi1sk`, all strings) and waits until it and its index are active. */
export async function createTestTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not active after 30 s (status ${String(Table?.TableStatus)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A credential provider that counts its calls (and answers dummy credentials). */
export function countingCredentials(): { readonly provider: AwsCredentialIdentityProvider; calls(): number } {
  let calls = 0;
  return {
    provider: () => {
      calls += 1;
      return Promise.resolve(DUMMY_CREDENTIALS);
    },
    calls: () => calls,
  };
}

/** dynalite and a factory whose platform scope owns the `platform_data` table: where configuration overrides live. */
export async function startPlatformStore(): Promise<{ readonly dynamo: LocalDynamo; readonly aws: ClientFactory; readonly table: string }> {
  const dynamo = await startDynalite();
  const aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['platform_data'], keys: TEST_KEYS, clientConfig: { maxAttempts: 1 } });
  const table = aws.platform().table('platform_data');
  const admin = lowLevelClient(dynamo.endpoint);
  await createTestTable(admin, table);
  admin.destroy();
  return { dynamo, aws, table };
}
