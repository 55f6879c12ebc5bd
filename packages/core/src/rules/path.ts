/** Endpoint paths: `{name}` placeholders, and the `:name` style we refuse. */

export interface PathPlaceholder {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly style: 'brace' | 'colon';
}

const PLACEHOLDER = /\{([^{}/]*)\}|(?<=^|\/):([A-Za-z_$][\w$]*)/g;

/** Both endpoint rules read the same path; results are immutable, so a bounded memo saves the repeat. */
const MEMO_LIMIT = 2048;
const memo = new Map<string, readonly PathPlaceholder[]>();

export function pathPlaceholders(path: string): readonly PathPlaceholder[] {
  let found = memo.get(path);
  if (found === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    found = scan(path);
    memo.set(path, found);
  }
  return found;
}

function scan(path: string): PathPlaceholder[] {
  return [...path.matchAll(PLACEHOLDER)].map((match) => ({
    name: (match[1] ?? match[2] ?? '').trim(),
    start: match.index,
    end: match.index + match[0].length,
    style: match[1] !== undefined ? 'brace' : 'colon',
  }));
}
