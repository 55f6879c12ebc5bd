/**
 * SARIF 2.1.0 schema validation for every tool that writes SARIF. The schema is vendored from the
 * MIT-licensed @microsoft/jest-sarif package (draft-04; its keywords are the same in draft-07).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'sarif-2.1.0.schema.json'), 'utf8')) as Record<string, unknown>;
const body = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== 'id'));
// The schema's `language` pattern is not valid under the `u` flag, as in the official schema: compile it without.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile({ ...body, $schema: 'http://json-schema.org/draft-07/schema#' });

/** The schema's complaints about `log`, as one string; empty when it is valid. */
export function sarifErrors(log: unknown): string {
  return validate(log) ? '' : ajv.errorsText(validate.errors);
}
