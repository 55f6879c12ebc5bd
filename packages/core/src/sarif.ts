/**
 * One SARIF 2.1.0 builder for every tool of ours that writes it (`isolation-check`, `isolation-audit`):
 * typed results in, a log GitHub code scanning accepts out. Paths become URI references relative to
 * a base directory, every segment percent-encoded, so a space or a `#` in a file name stays valid.
 */

export interface SarifRule {
  readonly id: string;
  readonly name?: string;
  readonly description: string;
  readonly helpUri?: string;
  readonly tags?: readonly string[];
}

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: string;
  /** A path relative to the log's base directory, with `/` separators. */
  readonly file: string;
  /** Where in the file; none for a result about the whole file. */
  readonly regions: readonly SarifRegion[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly unknown[];
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** `file:///…/` for a directory, as SARIF's `originalUriBaseIds` wants it (ending in `/`). */
export function directoryUri(directory: string): string {
  const path = directory.replaceAll('\\', '/');
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const uri = `file://${encoded.startsWith('/') ? '' : '/'}${encoded}`;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
export function relativeUri(file: string): string {
  return file.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/');
}

export function sarifLog(tool: SarifTool, baseDirectory: string, results: readonly SarifResult[]): SarifLog {
  const ruleIndex = new Map(tool.rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            semanticVersion: tool.version,
            version: tool.version,
            informationUri: tool.informationUri,
            rules: tool.rules.map((rule) => ({
              id: rule.id,
              ...(rule.name === undefined ? {} : { name: rule.name }),
              shortDescription: { text: rule.description },
              ...(rule.helpUri === undefined ? {} : { helpUri: rule.helpUri }),
              ...(rule.tags === undefined ? {} : { properties: { tags: [...rule.tags] } }),
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(baseDirectory) } },
        columnKind: 'utf16CodeUnits',
        results: results.map((result) => {
          const artifactLocation = { uri: relativeUri(result.file), uriBaseId: '%SRCROOT%' };
          return {
            ruleId: result.ruleId,
            ...(ruleIndex.has(result.ruleId) ? { ruleIndex: ruleIndex.get(result.ruleId) } : {}),
            level: result.level,
            message: { text: result.message },
            locations: result.regions.length === 0 ? [{ physicalLocation: { artifactLocation } }] : result.regions.map((region) => ({ physicalLocation: { artifactLocation, region } })),
            ...(result.properties === undefined ? {} : { properties: result.properties }),
          };
        }),
      },
    ],
  };
}
