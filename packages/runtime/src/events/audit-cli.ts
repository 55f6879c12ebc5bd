#!/usr/bin/env node
/**
 * isolation-audit <file.ndjson|-> [options]: audits an event log for tenant and capsule id problems.
 * Exit 0 when nothing reaches --fail-on (default: errors), 1 when something does, 2 on misuse.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EventScope } from '../registry.js';
import { auditStream, type Severity } from './audit.js';
import { ScopeDeclarationError, ScopeDeclarations } from './audit-scopes.js';
import { formatReport, type AuditFormat } from './format.js';

const USAGE = 'usage: isolation-audit <file.ndjson|-> [--events <module.js>]... [--scope TYPE=SCOPE]... [--format text|json|sarif] [--fail-on error|warning] [options]';

const HELP = `${USAGE}

Audits an event log, one JSON object per line (- reads stdin), for tenant and capsule id problems.

Line formats, mixed freely (blank lines are skipped, anything else is reported and skipped):
  EventBridge event  {"detail-type":"T","source":"…","resources":["…"],"detail":{…}}
                     as rules deliver it to targets and archives keep it
  PutEvents entry    {"DetailType":"T","Detail":"{…}","Source":"…","EventBusName":"…","Resources":["…"]}
                     Detail is JSON text; what scope.publish sends and the local EventBridge endpoint records
  bare detail        {"type":"T","tenantId":"…",…}
Scope ids are tenantId/tenant_id and capsuleId/capsule_id, at the detail's top level or one level nested.
An envelope or entry whose ids, source, resources or event bus name another tenant or capsule
(tenant/<id>, capsule/<id>, TENANT#<id>…) than its detail is an error, whatever the type's scope.

Event scopes: declared types are checked against their scope (errors); the others are judged from
the log (warnings): a type whose events carry tenant ids but no capsule ids is taken as tenant-scoped.
  --events <module.js>   import a JavaScript module and declare the type of every @DomainEvent class it
                         exports (the compiled module; it must use this install of @isolation/runtime)
  --scope TYPE=SCOPE     declare one type's scope: capsule, tenant or platform
  --platform-type TYPE   the same as --scope TYPE=platform
All three repeat.

Output and exit status:
  --format text|json|sarif   text (default; control characters escaped), JSON, or SARIF 2.1.0
  --fail-on error|warning    exit 1 on errors (default), or on warnings too; 0 otherwise, 2 on misuse
  --examples N               line numbers kept per finding (default 5, at most 1000)

Limits (memory stays bounded whatever the log holds; names past 256 characters are clipped and hashed):
  --max-line-bytes N         longer lines are reported and skipped (default 1048576)
  --max-types N              undeclared event types profiled (default 10000); events of further types are counted only
  --max-retained-mb N        memory the audit may keep for profiles and findings (default 32)
`;

function misuse(message: string): never {
  process.stderr.write(`isolation-audit: ${message}\n${USAGE}\nisolation-audit --help explains every option.\n`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) misuse(`--${name} must be a whole number from 1 to ${max}, found ${JSON.stringify(value)}`);
  return number;
}

function parse(): ReturnType<typeof parseOptions> {
  try {
    return parseOptions();
  } catch (error) {
    misuse((error as Error).message);
  }
}

function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      examples: { type: 'string' },
      'max-line-bytes': { type: 'string' },
      'max-types': { type: 'string' },
      'max-retained-mb': { type: 'string' },
      events: { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      'platform-type': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function declaredScopes(events: readonly string[], scopes: readonly string[], platformTypes: readonly string[]): Promise<ReadonlyMap<string, EventScope>> {
  const declarations = new ScopeDeclarations();
  try {
    for (const module of events) await declarations.addModule(module);
    for (const option of scopes) declarations.addOption(option);
    for (const type of platformTypes) declarations.add(type, 'platform', `--platform-type ${type}`);
  } catch (error) {
    if (error instanceof ScopeDeclarationError) misuse(error.message);
    throw error;
  }
  return declarations.scopes;
}

async function main(): Promise<void> {
  const { values, positionals } = parse();
  if (values.help === true) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals.length !== 1) misuse(positionals.length === 0 ? 'give one event log file, or - for stdin' : `give one event log file, found ${positionals.length}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') misuse(`--format must be text, json or sarif, found ${JSON.stringify(format)}`);
  const failOn = values['fail-on'];
  if (failOn !== 'error' && failOn !== 'warning') misuse(`--fail-on must be error or warning, found ${JSON.stringify(failOn)}`);
  const options = {
    examples: positive('examples', values.examples, 5, 1000),
    maxLineBytes: positive('max-line-bytes', values['max-line-bytes'], 1 << 20),
    maxTypes: positive('max-types', values['max-types'], 10_000),
    maxRetainedBytes: positive('max-retained-mb', values['max-retained-mb'], 32, 1 << 20) * 2 ** 20,
    scopes: await declaredScopes(values.events ?? [], values.scope ?? [], values['platform-type'] ?? []),
  };
  const file = positionals[0] as string;
  const source = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  let report;
  try {
    report = await auditStream(source, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') misuse(`cannot read ${file}: ${(error as Error).message}`);
    throw error;
  }
  process.stdout.write(formatReport(report, file === '-' ? 'stdin' : file, format as AuditFormat));
  const failing: readonly Severity[] = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  process.exitCode = report.findings.some((finding) => failing.includes(finding.severity)) ? 1 : 0;
}

await main();
