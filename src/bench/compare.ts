import { escapeLine } from './escape.js';
import type { ResultRecord } from './record.js';
import { percent, summarize, type BenchSummary } from './summary.js';

export type ProblemChange = 'both' | 'only-a' | 'only-b' | 'neither';

export interface ProblemComparison {
  taskId: string;
  a: { solved: boolean; seedSolved: boolean; tokens: number; iterations: number } | null;
  b: { solved: boolean; seedSolved: boolean; tokens: number; iterations: number } | null;
  change: ProblemChange | 'missing';
}

export interface BenchComparison {
  a: BenchSummary;
  b: BenchSummary;
  problems: ProblemComparison[];
  counts: Record<ProblemChange | 'missing', number>;
}

/** Two result files problem by problem (e.g. `--method ldb` against `--method baseline` on the same set). */
export function compareResults(a: ResultRecord[], b: ResultRecord[]): BenchComparison {
  const byIdA = new Map(a.map((r) => [r.task_id, r]));
  const byIdB = new Map(b.map((r) => [r.task_id, r]));
  const order = [...a, ...b.filter((r) => !byIdA.has(r.task_id))];
  const problems = order.map((r): ProblemComparison => {
    const ra = byIdA.get(r.task_id);
    const rb = byIdB.get(r.task_id);
    return { taskId: r.task_id, a: side(ra), b: side(rb), change: changeOf(ra, rb) };
  });
  const counts = { both: 0, 'only-a': 0, 'only-b': 0, neither: 0, missing: 0 };
  for (const p of problems) counts[p.change]++;
  return { a: summarize(a), b: summarize(b), problems, counts };
}

function side(record: ResultRecord | undefined): ProblemComparison['a'] {
  if (!record) return null;
  return {
    solved: record.solved,
    seedSolved: record.seed_solved,
    tokens: record.usage.prompt_tokens + record.usage.completion_tokens,
    iterations: Math.max(0, record.iterations.length - 1),
  };
}

function changeOf(a: ResultRecord | undefined, b: ResultRecord | undefined): ProblemComparison['change'] {
  if (!a || !b) return 'missing';
  if (a.solved && b.solved) return 'both';
  if (a.solved) return 'only-a';
  if (b.solved) return 'only-b';
  return 'neither';
}

export function formatComparison(comparison: BenchComparison, names: { a: string; b: string }): string {
  const { a, b, counts } = comparison;
  const label = (s: BenchSummary, name: string) => `${escapeLine(name)}${s.options ? ` (${s.options.method}, ${escapeLine(s.options.model)})` : ''}`;
  const lines = [
    `A: ${label(a, names.a)}`,
    `B: ${label(b, names.b)}`,
    '',
    `  pass@1 seed      A ${percent(a.seedPassAt1).padStart(6)}   B ${percent(b.seedPassAt1).padStart(6)}`,
    `  pass@1 final     A ${percent(a.passAt1).padStart(6)}   B ${percent(b.passAt1).padStart(6)}   (A - B: ${((a.passAt1 - b.passAt1) * 100).toFixed(1)} points)`,
    `  tokens           A ${String(a.tokens).padStart(6)}   B ${String(b.tokens).padStart(6)}`,
    `  solved by both ${counts.both}, only A ${counts['only-a']}, only B ${counts['only-b']}, neither ${counts.neither}` +
      (counts.missing > 0 ? `, in one file only ${counts.missing}` : ''),
  ];
  const differing = comparison.problems.filter((p) => p.change === 'only-a' || p.change === 'only-b' || p.change === 'missing');
  if (differing.length > 0) {
    lines.push('', '  problems where they differ:');
    for (const p of differing) {
      const mark = (s: ProblemComparison['a']) => (s === null ? '-' : s.solved ? '✓' : '✗');
      lines.push(`    ${escapeLine(p.taskId).padEnd(40)}  A ${mark(p.a)}  B ${mark(p.b)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
