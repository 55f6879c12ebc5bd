/**
 * What the SSM and Secrets Manager guard tests share — both services name what they store under
 * the scope's parameter prefix: our scope (acme/DEV) and its victims, the attack matrix, a refusal
 * that must leave the local endpoint untouched, middleware added to a scope client later, the
 * credentials check, and the input members the installed SDK serializes per operation.
 */
import { describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type GuardRule, type SdkClient, type SdkClientClass } from '../../src/aws/index.js';
import type { ReceivedJsonRequest } from '../../src/testing/index.js';
import { DUMMY_CREDENTIALS } from './dynamo.js';
import { refusalOf } from './refusal.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
/** The scope under attack's parameter prefix: capsule acme/DEV. */
export const OURS = '/tenants/acme/capsules/DEV/';
export const OWN = `${OURS}db/password`;
/** Another tenant's name, as long as ours: a serialized body can be edited in place. */
export const THEIRS = '/tenants/acmf/capsules/DEV/db/password';

export interface Victim {
  readonly name: string;
  /** The victim's prefix. */
  readonly prefix: string;
  /** The victim's parameter or secret. */
  readonly item: string;
}

const victim = (name: string, prefix: string): Victim => ({ name, prefix, item: `${prefix}db/password` });
export const VICTIMS: readonly Victim[] = [
  victim('another capsule of the same tenant (acme/PROD)', '/tenants/acme/capsules/PROD/'),
  victim('a capsule whose code extends ours (acme/DEVX)', '/tenants/acme/capsules/DEVX/'),
  victim('another tenant (globex/DEV)', '/tenants/globex/capsules/DEV/'),
  victim("the platform's", '/platform/'),
];
export const secretOf = (name: string): string => `secret of ${name}`;

/** A local endpoint that records what it receives. */
export interface RecordingServer {
  readonly endpoint: string;
  readonly requests: readonly ReceivedJsonRequest[];
}

interface Sender {
  send(command: object): Promise<unknown>;
  readonly middlewareStack: unknown;
}

/** Sends, expecting an `IsolationViolationError` and not one request more at `server`. */
export async function refusedUnsent(server: RecordingServer, send: () => Promise<unknown>): Promise<IsolationViolationError> {
  const before = server.requests.length;
  const error = await refusalOf(send(), IsolationViolationError);
  expect(server.requests.length, 'a refused request must send nothing').toBe(before);
  return error;
}

export type Attack = readonly [name: string, make: (victim: Victim) => object];

/** What the attack matrix runs against; functions, as the tests make their server and client in `beforeAll`. */
export interface Battlefield {
  readonly server: () => RecordingServer;
  readonly client: () => Sender;
  /** Every violation reported to the factory's `onViolation` since the last reset. */
  readonly violations: readonly IsolationViolationError[];
  /** Reads every victim back unguarded and checks it is as seeded. */
  readonly intact: () => Promise<void>;
}

/** Every attack aimed at every victim: refused with `rule` before anything is sent, reported once, the victims intact. */
export function describeAttackMatrix(service: string, attacks: readonly Attack[], rule: GuardRule, field: Battlefield): void {
  describe.each(VICTIMS)(`${service} attacks on $name`, (target) => {
    for (const [name, make] of attacks) {
      it(`${name} is refused before sending, and the victim is intact`, async () => {
        const error = await refusedUnsent(field.server(), () => field.client().send(make(target)));
        expect(error.rule).toBe(rule);
        expect(error.scope).toEqual({ kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV' });
        expect(error.expected).toContain(OURS);
        expect(field.violations).toEqual([error]);
        await field.intact();
      });
    }
  });
}

export type Handler = (args: { input: Record<string, unknown>; request?: { headers: Record<string, string>; body?: unknown } }) => Promise<unknown>;

interface Stack {
  add(middleware: (next: Handler) => Handler, options: Record<string, unknown>): void;
  remove(name: string): boolean;
}

/** Adds `edit` at `step` of the client's stack for the duration of `run`. */
export async function withMiddleware<T>(client: Sender, step: string, edit: (args: Parameters<Handler>[0]) => void, run: () => Promise<T>): Promise<T> {
  const stack = client.middlewareStack as Stack;
  stack.add(
    (next) => (args) => {
      edit(args);
      return next(args);
    },
    { step, name: 'tamper' },
  );
  try {
    return await run();
  } finally {
    stack.remove('tamper');
  }
}

/** The request body as text, whatever the SDK made it (string or bytes). */
function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array);
}

export interface LaterMiddleware {
  /** The input member naming what is read, and a command reading `OWN` through it. */
  readonly member: string;
  readonly read: (name: string) => object;
  /** A command writing `OWN`. */
  readonly write: (name: string) => object;
  /** `X-Amz-Target` of an operation the guard refuses. */
  readonly refusedTarget: string;
  readonly rule: GuardRule;
}

/** Middleware added to the scope client's stack after the guard: whatever it changes, what is sent is judged. */
export function describeLaterMiddleware(field: Battlefield, attack: LaterMiddleware): void {
  describe('middleware added to the scope client later', () => {
    it('an initialize-step middleware pointing the input at another tenant: refused at the seal, nothing sent', async () => {
      const client = field.client();
      const error = await withMiddleware(client, 'initialize', (args) => void (args.input[attack.member] = THEIRS), () => refusedUnsent(field.server(), () => client.send(attack.read(OWN))));
      expect(error.rule).toBe(attack.rule);
    });

    it.each(['build', 'finalizeRequest'])('a %s-step middleware rewriting the serialized body to another tenant’s name: refused at the gate, nothing sent', async (step) => {
      const client = field.client();
      const rewrite = (args: Parameters<Handler>[0]): void => {
        if (args.request !== undefined) args.request.body = bodyText(args.request.body).replace(OWN, THEIRS);
      };
      const error = await withMiddleware(client, step, rewrite, () => refusedUnsent(field.server(), () => client.send(attack.write(OWN))));
      expect(error.rule).toBe(attack.rule);
      await field.intact();
    });

    it('a build-step middleware turning the request into another operation: judged as sent, refused', async () => {
      const client = field.client();
      const retarget = (args: Parameters<Handler>[0]): void => {
        if (args.request !== undefined) args.request.headers['x-amz-target'] = attack.refusedTarget;
      };
      const error = await withMiddleware(client, 'build', retarget, () => refusedUnsent(field.server(), () => client.send(attack.read(OWN))));
      expect(error.rule).toBe('unbounded-operation');
    });
  });
}

/**
 * A refused request sends nothing whatever its credentials do: it is refused before the SDK
 * resolves them (the early check, ADR 0015), so the provider is never asked, and a provider that
 * fails does not hide the refusal.
 */
export async function expectRefusalWhateverTheCredentials(server: RecordingServer, clientClass: SdkClientClass<Sender & SdkClient>, command: () => object, rule: GuardRule): Promise<void> {
  let fetched = 0;
  const counting = createClientFactory({ region: REGION, endpoint: server.endpoint, credentials: () => ((fetched += 1), Promise.resolve(DUMMY_CREDENTIALS)), clientConfig: { maxAttempts: 1 } });
  const failing = createClientFactory({ region: REGION, endpoint: server.endpoint, credentials: () => Promise.reject(new Error('no credentials')), clientConfig: { maxAttempts: 1 } });
  try {
    expect((await refusedUnsent(server, () => counting.capsule('acme', 'DEV').client(clientClass).send(command()))).rule).toBe(rule);
    expect(fetched).toBe(0);
    expect((await refusedUnsent(server, () => failing.capsule('acme', 'DEV').client(clientClass).send(command()))).rule).toBe(rule);
  } finally {
    counting.destroy();
    failing.destroy();
  }
}

/**
 * The input members the installed SDK serializes for `operation`: its operation schema
 * (`<Operation>$`: `[9, namespace, name, traits, input, output]`) names the input structure
 * (`[3, namespace, name, traits, memberNames, …]`).
 */
export function schemaMembers(sdk: Readonly<Record<string, unknown>>, operation: string): readonly string[] {
  const schema = sdk[`${operation}$`];
  if (!Array.isArray(schema) || schema[0] !== 9 || typeof schema[4] !== 'function') throw new Error(`the SDK has no operation schema ${operation}$ of the expected shape; read how this SDK version describes operations`);
  const input: unknown = (schema[4] as () => unknown)();
  if (!Array.isArray(input) || !Array.isArray(input[4])) throw new Error(`the input schema of ${operation} has no member list where expected`);
  return input[4] as string[];
}
