/** A unified diff of two texts, line by line (LCS), as `diff -u` would print it. */

export interface DiffOptions {
  context?: number;
  fromName?: string;
  toName?: string;
}

type Op = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };

export function unifiedDiff(before: string, after: string, options: DiffOptions = {}): string {
  const context = options.context ?? 3;
  const ops = diffLines(splitLines(before), splitLines(after));
  if (!ops.some((op) => op.kind !== ' ')) return '';
  const lines = [`--- ${options.fromName ?? 'before'}`, `+++ ${options.toName ?? 'after'}`];
  for (const hunk of hunksOf(ops, context)) lines.push(...hunk);
  return `${lines.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence table walk; programs are small, so O(n·m) is fine. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i]!, oldLine: ++i, newLine: ++j });
    else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', text: a[i]!, oldLine: ++i, newLine: j });
    else ops.push({ kind: '+', text: b[j]!, oldLine: i, newLine: ++j });
  }
  return ops;
}

function hunksOf(ops: Op[], context: number): string[][] {
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  const hunks: string[][] = [];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context) end++;
    const from = Math.max(0, changed[start]! - context);
    const to = Math.min(ops.length - 1, changed[end]! + context);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const first = slice[0]!;
    const oldStart = first.kind === '+' ? first.oldLine + (oldCount > 0 ? 1 : 0) : first.oldLine;
    const newStart = first.kind === '-' ? first.newLine + (newCount > 0 ? 1 : 0) : first.newLine;
    hunks.push([`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...slice.map((op) => `${op.kind}${op.text}`)]);
    start = end + 1;
  }
  return hunks;
}
