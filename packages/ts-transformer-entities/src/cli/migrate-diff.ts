/**
 * A unified diff built from the migration's own text edits: the changed lines are exactly the lines
 * the edits touch, so no general diff algorithm is needed (and none can misalign).
 */
import { applyEdits, type TextEdit } from './migrate-core.js';

const CONTEXT = 3;

interface Change {
  /** First and last old line (0-based, inclusive) the change replaces. */
  readonly from: number;
  readonly to: number;
  readonly lines: readonly string[];
}

export function unifiedDiff(label: string, text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return '';
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  const lineOf = (pos: number): number => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= pos) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const oldLines = splitLines(text);
  const lineEnd = (line: number): number => (line + 1 < starts.length ? (starts[line + 1] as number) - 1 : text.length);

  // Edits touching the same or adjacent lines become one change.
  const groups: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const edit of edits) {
    const from = lineOf(edit.start);
    const to = lineOf(edit.end);
    const previous = groups.at(-1);
    if (previous !== undefined && from <= previous.to) {
      previous.to = Math.max(previous.to, to);
      previous.edits.push(edit);
    } else {
      groups.push({ from, to, edits: [edit] });
    }
  }
  const changes: Change[] = groups.map((group) => {
    const base = starts[group.from] as number;
    const slice = text.slice(base, lineEnd(group.to));
    const shifted = group.edits.map((edit) => ({ start: edit.start - base, end: edit.end - base, text: edit.text }));
    const lines = applyEdits(slice, shifted).split('\n');
    // An insertion at the end of a line adds lines: the line itself is context, not a change.
    let from = group.from;
    let to = group.to;
    while (from <= to && lines.length > 0 && lines[0] === oldLines[from]) {
      lines.shift();
      from += 1;
    }
    while (from <= to && lines.length > 0 && lines.at(-1) === oldLines[to]) {
      lines.pop();
      to -= 1;
    }
    return { from, to, lines };
  });

  const out = [`--- a/${label}`, `+++ b/${label}`];
  let delta = 0;
  let index = 0;
  while (index < changes.length) {
    // A hunk takes changes whose context overlaps.
    let end = index;
    while (end + 1 < changes.length && (changes[end + 1] as Change).from - (changes[end] as Change).to - 1 <= 2 * CONTEXT) end += 1;
    const first = changes[index] as Change;
    const last = changes[end] as Change;
    const hunkFrom = Math.max(0, first.from - CONTEXT);
    const hunkTo = Math.min(oldLines.length - 1, last.to + CONTEXT);
    const body: string[] = [];
    let line = hunkFrom;
    let added = 0;
    for (const change of changes.slice(index, end + 1)) {
      for (; line < change.from; line += 1) body.push(` ${oldLines[line]}`);
      for (; line <= change.to; line += 1) body.push(`-${oldLines[line]}`);
      for (const replaced of change.lines) body.push(`+${replaced}`);
      added += change.lines.length - (change.to - change.from + 1);
    }
    for (; line <= hunkTo; line += 1) body.push(` ${oldLines[line]}`);
    const oldCount = hunkTo - hunkFrom + 1;
    out.push(`@@ -${hunkFrom + 1},${oldCount} +${hunkFrom + 1 + delta},${oldCount + added} @@`, ...body);
    delta += added;
    index = end + 1;
  }
  return `${out.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  // A final newline ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}
