/** Errors of the configuration service. */

/** A write, preview, default or stored value that does not fit the schema; `fields` lists every problem by field. */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  constructor(
    readonly section: string,
    readonly fields: Readonly<Record<string, string>>,
    /** What was validated: `override`, `defaults`, `schema`, `stored override`. */
    readonly context = 'override',
  ) {
    super(`invalid ${context} of config section ${JSON.stringify(section)}:\n${Object.entries(fields).map(([field, message]) => `  ${field === '' ? '(value)' : field}: ${message}`).join('\n')}`);
  }
}

/** One or more `ISOLATION_*` environment variables that do not parse or fit their field. */
export class ConfigEnvError extends Error {
  override readonly name = 'ConfigEnvError';
  constructor(readonly variables: readonly { readonly variable: string; readonly value: string; readonly expected: string }[]) {
    super(`invalid configuration environment variable${variables.length === 1 ? '' : 's'}:\n${variables.map(({ variable, value, expected }) => `  ${variable}=${JSON.stringify(value)}: ${expected}`).join('\n')}`);
  }
}

/** The store failed and no cached value may be served any more (or there never was one). */
export class ConfigStoreError extends Error {
  override readonly name = 'ConfigStoreError';
  constructor(
    readonly section: string,
    /** `platform`, `tenant acme` or `capsule acme/DEV`. */
    readonly scope: string,
    override readonly cause: unknown,
    detail: string,
  ) {
    super(`config section ${JSON.stringify(section)} of ${scope} cannot be read: ${detail}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
