/** The dry run's unified diff, by jsdiff: what `git apply` and `patch` accept, final newline or not. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(label: string, original: string, changed: string): string {
  if (original === changed) return '';
  // Git's header style, without the index line: `git apply` takes it as is.
  return `diff --git a/${label} b/${label}\n${createTwoFilesPatch(`a/${label}`, `b/${label}`, original, changed, undefined, undefined, { context: 3 }).replace(/^=+\n/m, '').replace(/^Index: .*\n/m, '')}`;
}
