import { escapeLine } from './escape.js';
import type { RecordOptions, ResultRecord, TestScore } from './record.js';

export interface GroupScore {
  problems: number;
  seedSolved: number;
  solved: number;
}

export interface BenchSummary {
  options: RecordOptions | null;
  problems: number;
  seedSolved: number;
  solved: number;
  /** Hidden-test pass@1 of the seed programs and of the final programs, 0..1. */
  seedPassAt1: number;
  passAt1: number;
  /** passAt1 - seedPassAt1, 0..1. */
  gain: number;
  /** pass@1 of the program the loop would return if stopped after k turns, k = 0 (the seed), 1, ... */
  passAt1ByIteration: number[];
  byBugType: Record<string, GroupScore>;
  stopReasons: Record<string, number>;
  errors: number;
  /** Mean debugging turns that led to the final program, over the problems solved by debugging. */
  iterationsPerSolved: number | null;
  tokens: number;
  tokensPerSolved: number | null;
  /** Null when some call's price is unknown. */
  costUsd: number | null;
  calls: number;
  cachedCalls: number;
  /** Sum of the problems' wall times (they overlap when run concurrently). */
  wallMs: number;
}

export function summarize(records: ResultRecord[]): BenchSummary {
  const n = records.length;
  const seedSolved = count(records, (r) => r.seed_solved);
  const solved = count(records, (r) => r.solved);
  const fixedByDebugging = records.filter((r) => r.solved && !r.seed_solved && r.final);
  const tokens = sum(records, (r) => r.usage.prompt_tokens + r.usage.completion_tokens);
  const costs = records.map((r) => r.usage.cost_usd);
  return {
    options: records[0]?.options ?? null,
    problems: n,
    seedSolved,
    solved,
    seedPassAt1: ratio(seedSolved, n),
    passAt1: ratio(solved, n),
    gain: ratio(solved - seedSolved, n),
    passAt1ByIteration: passAt1ByIteration(records),
    byBugType: byBugType(records),
    stopReasons: tally(records.map((r) => r.stop_reason)),
    errors: count(records, (r) => r.stop_reason === 'error' || r.stop_reason === 'problem-timeout'),
    iterationsPerSolved: fixedByDebugging.length === 0 ? null : sum(fixedByDebugging, (r) => r.final!.iteration) / fixedByDebugging.length,
    tokens,
    tokensPerSolved: solved === 0 ? null : tokens / solved,
    costUsd: costs.some((c) => c === null) ? null : costs.reduce<number>((a, c) => a + (c ?? 0), 0),
    calls: sum(records, (r) => r.usage.calls),
    cachedCalls: sum(records, (r) => r.usage.cached_calls),
    wallMs: sum(records, (r) => r.wall_ms),
  };
}

/**
 * For k = 0..K: the share of problems whose program after k turns passes every hidden test,
 * where "the program after k turns" is what the loop returns when stopped there (most visible
 * tests passed so far, earliest on ties). A problem that stopped before k keeps its final program.
 */
export function passAt1ByIteration(records: ResultRecord[]): number[] {
  if (records.length === 0) return [];
  const turns = Math.max(0, ...records.map((r) => r.iterations.length - 1));
  const curve: number[] = [];
  for (let k = 0; k <= turns; k++) curve.push(ratio(count(records, (r) => solvedAfter(r, k)), records.length));
  return curve;
}

function solvedAfter(record: ResultRecord, k: number): boolean {
  if (record.iterations.length === 0) return k === 0 ? record.seed_solved : record.solved;
  if (k >= record.iterations.length - 1) return record.solved;
  let best = record.iterations[0]!;
  for (const iteration of record.iterations.slice(1, k + 1)) if (iteration.visible.passed > best.visible.passed) best = iteration;
  return allPassed(best.hidden);
}

function allPassed(score: TestScore): boolean {
  return score.total > 0 && score.passed === score.total;
}

function byBugType(records: ResultRecord[]): Record<string, GroupScore> {
  const groups: Record<string, GroupScore> = {};
  for (const record of records) {
    if (record.bug_type === undefined) continue;
    const group = (groups[record.bug_type] ??= { problems: 0, seedSolved: 0, solved: 0 });
    group.problems++;
    if (record.seed_solved) group.seedSolved++;
    if (record.solved) group.solved++;
  }
  return groups;
}

function count<T>(items: T[], test: (item: T) => boolean): number {
  return items.reduce((n, item) => n + (test(item) ? 1 : 0), 0);
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Text

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** The summary as an aligned table for the terminal. */
export function formatSummary(summary: BenchSummary): string {
  const o = summary.options;
  const rows: Array<[string, string]> = [
    ['problems', String(summary.problems)],
    ['pass@1 seed (hidden tests)', `${percent(summary.seedPassAt1)}  (${summary.seedSolved})`],
    ['pass@1 after debugging', `${percent(summary.passAt1)}  (${summary.solved})`],
    ['gain', `${summary.gain >= 0 ? '+' : ''}${(summary.gain * 100).toFixed(1)} points`],
    ['pass@1 by iteration', summary.passAt1ByIteration.map(percent).join(' → ')],
    ['turns per problem fixed', summary.iterationsPerSolved === null ? '-' : summary.iterationsPerSolved.toFixed(2)],
    ['tokens', `${summary.tokens}${summary.tokensPerSolved === null ? '' : `  (${Math.round(summary.tokensPerSolved)} per solved problem)`}`],
    ['model calls', `${summary.calls}  (${summary.cachedCalls} from the cache)`],
    ['cost', summary.costUsd === null ? 'unknown (a price is missing)' : `$${summary.costUsd.toFixed(4)}`],
    ['wall time (sum)', `${(summary.wallMs / 1000).toFixed(1)} s`],
    ['stop reasons', Object.entries(summary.stopReasons).map(([reason, n]) => `${reason} ${n}`).join(', ')],
  ];
  for (const [type, group] of Object.entries(summary.byBugType).sort()) {
    rows.push([`  bug type: ${escapeLine(type)}`, `${group.seedSolved} → ${group.solved} of ${group.problems}`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  const head = o ? `${escapeLine(o.dataset)}  ${o.mode}/${o.method}  ${escapeLine(o.model)}  level ${o.level}  max-iters ${o.max_iters}\n` : '';
  return head + rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}
