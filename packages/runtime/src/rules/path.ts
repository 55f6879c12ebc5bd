/** Endpoint paths: `{name}` placeholders, and the `:name` style we refuse. */

export interface PathPlaceholder {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly style: 'brace' | 'colon';
}

const PLACEHOLDER = /\{([^{}/]*)\}|(?<=^|\/):([A-Za-z_$][\w$]*)/g;

export function pathPlaceholders(path: string): PathPlaceholder[] {
  return [...path.matchAll(PLACEHOLDER)].map((match) => ({
    name: (match[1] ?? match[2] ?? '').trim(),
    start: match.index,
    end: match.index + match[0].length,
    style: match[1] !== undefined ? 'brace' : 'colon',
  }));
}
