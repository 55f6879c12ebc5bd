#!/usr/bin/env node
/**
 * isolation-audit <file.ndjson|-> [--format text|json|sarif] [--examples N] [--max-line-bytes N] [--platform-type T]…
 * Audits an event log (one JSON event per line); exit 1 on findings, 0 when clean, 2 on misuse.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditStream } from './audit.js';
import { formatReport, type AuditFormat } from './format.js';

const USAGE = 'usage: isolation-audit <file.ndjson|-> [--format text|json|sarif] [--examples N] [--max-line-bytes N] [--platform-type TYPE]...';

function misuse(message: string): never {
  process.stderr.write(`isolation-audit: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) misuse(`--${name} must be a positive whole number, found ${JSON.stringify(value)}`);
  return number;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        examples: { type: 'string' },
        'max-line-bytes': { type: 'string' },
        'platform-type': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    misuse((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) misuse(positionals.length === 0 ? 'give one event log file, or - for stdin' : `give one event log file, found ${positionals.length}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') misuse(`--format must be text, json or sarif, found ${JSON.stringify(format)}`);
  const file = positionals[0] as string;
  const source = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  let report;
  try {
    report = await auditStream(source, {
      examples: positive('examples', values.examples, 5),
      maxLineBytes: positive('max-line-bytes', values['max-line-bytes'], 1 << 20),
      platformTypes: values['platform-type'],
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') misuse(`cannot read ${file}: ${(error as Error).message}`);
    throw error;
  }
  process.stdout.write(formatReport(report, file === '-' ? 'stdin' : file, format as AuditFormat));
  process.exitCode = report.findings.length > 0 ? 1 : 0;
}

await main();
