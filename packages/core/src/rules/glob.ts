/**
 * File patterns for the `allow` options: `*` (within a path segment), `**` (any depth), `?`, and
 * `{a,b}`. Paths are compared with forward slashes, relative to the working directory.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        source += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '{') {
      const close = pattern.indexOf('}', i);
      if (close === -1) {
        source += '\\{';
        continue;
      }
      const options = pattern.slice(i + 1, close).split(',').map((option) => option.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'));
      source += `(?:${options.join('|')})`;
      i = close;
    } else {
      source += ch.replace(/[.+^$()|[\]\\}]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Whether `file` (absolute or relative) matches any pattern, relative to `cwd`. */
export function matchesAnyGlob(file: string, patterns: readonly string[], cwd: string): boolean {
  if (patterns.length === 0) return false;
  const normalized = file.replace(/\\/g, '/');
  const base = cwd.replace(/\\/g, '/').replace(/\/?$/, '/');
  const relative = normalized.startsWith(base) ? normalized.slice(base.length) : normalized;
  return patterns.some((pattern) => globToRegExp(pattern.replace(/^\.\//, '')).test(relative));
}
