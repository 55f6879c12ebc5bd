/**
 * What the tests of user-defined guards share: a `ServiceGuard` for STS (a tenant assumes only its
 * own roles) bound by address, as AWS Query requests must be, and a request handler that records
 * every request sent through it.
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ServiceGuard } from '../../src/aws/service-guard.js';

/** The account of the roles `tenantRoles` judges. */
export const ROLE_ACCOUNT = '123456789012';

/** The request handler under the guard: every request it gets is one that is sent. */
export class RecordingHandler extends NodeHttpHandler {
  readonly sent: Parameters<NodeHttpHandler['handle']>[0][] = [];
  override handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const [request, options] = args;
    this.sent.push(request);
    return super.handle(request, options);
  }
}

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  // Not Buffer.from: on the SDK's JSON body that reads its valueOf(), a string.
  return body instanceof Uint8Array ? new TextDecoder().decode(body) : '';
}

/** A tenant may assume only its own roles (`role/tenants/<tenant>/…`); nothing else in STS. */
export const tenantRoles: ServiceGuard = {
  serviceId: 'STS',
  rules: (operation, input, { scope }) => {
    if (operation !== 'AssumeRole') return { rule: 'unbounded-operation', found: `${operation}, which this scope does not run`, expected: 'AssumeRole of one of the tenant’s own roles' };
    const own = `arn:aws:iam::${ROLE_ACCOUNT}:role/tenants/${scope.tenantId}/`;
    const roleArn = input['RoleArn'];
    return typeof roleArn === 'string' && roleArn.startsWith(own) ? undefined : { found: `RoleArn = ${JSON.stringify(roleArn)}`, expected: `a role under ${own}` };
  },
  // AWS Query: the action and its members travel in the form body, which must name what was judged.
  bind: (request, input, _context, operation) => {
    const form = new URLSearchParams(bodyText(request.body));
    return form.get('Action') === operation && form.get('RoleArn') === input['RoleArn'] ? undefined : { found: `a serialized body naming ${form.get('Action') ?? 'no action'} on ${form.get('RoleArn') ?? 'no role'}`, expected: `the judged ${operation} of ${String(input['RoleArn'])}` };
  },
};

export const assume = (roleArn: string): AssumeRoleCommand => new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'tenant-session' });
