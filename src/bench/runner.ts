import type { Problem } from '../cases/datasets.js';
import { InputError } from '../errors.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { ResultRecord } from './record.js';
import { dropTornTail, readResults, ResultsWriter } from './results-file.js';
import { solveProblem, visibleTestsOf, type SolveSettings } from './solve.js';

/** A problem with its position in the dataset (kept in the record, so merged shards sort back). */
export interface IndexedProblem {
  problem: Problem;
  index: number;
}

export interface BenchRunSettings {
  problems: IndexedProblem[];
  solve: SolveSettings;
  concurrency: number;
  resultsPath: string;
  /** Continue an existing results file: finished problems are skipped, a torn last line is redone. */
  resume: boolean;
  /** A problem still running after this long is recorded as 'problem-timeout' and the run moves on. */
  problemTimeoutMs: number;
  /** Aborting stops the run: problems in flight are dropped (not written) and redone by --resume. */
  signal: AbortSignal;
  onEvent?: (event: BenchEvent) => void;
}

export type BenchEvent =
  | { type: 'start'; total: number; skipped: number; torn: boolean; previous: ResultRecord[] }
  | { type: 'problem-start'; taskId: string }
  | { type: 'problem-done'; record: ResultRecord }
  | { type: 'problem-dropped'; taskId: string };

export interface BenchRunOutcome {
  /** Every record of the results file: those from before a resume, then the new ones. */
  records: ResultRecord[];
  written: number;
  interrupted: boolean;
}

/** Runs the problems not yet in the results file, `concurrency` at a time, appending one line per finished problem. */
export async function runBench(settings: BenchRunSettings): Promise<BenchRunOutcome> {
  const previous = await openPrevious(settings);
  const done = new Set(previous.records.map((r) => r.task_id));
  const todo = settings.problems.filter((p) => !done.has(p.problem.id));
  settings.onEvent?.({ type: 'start', total: settings.problems.length, skipped: settings.problems.length - todo.length, torn: previous.torn, previous: previous.records });
  const writer = await ResultsWriter.open(settings.resultsPath);
  const records = [...previous.records];
  let next = 0;
  const worker = async (): Promise<void> => {
    let sandbox = new Sandbox();
    try {
      while (next < todo.length && !settings.signal.aborted) {
        const item = todo[next++]!;
        settings.onEvent?.({ type: 'problem-start', taskId: item.problem.id });
        const attempt = await solveWithDeadline(item, settings, sandbox);
        if (attempt.sandboxSpoiled) {
          sandbox.dispose();
          sandbox = new Sandbox();
        }
        if (!attempt.record) {
          settings.onEvent?.({ type: 'problem-dropped', taskId: item.problem.id });
          continue;
        }
        await writer.append(attempt.record);
        records.push(attempt.record);
        settings.onEvent?.({ type: 'problem-done', record: attempt.record });
      }
    } finally {
      sandbox.dispose();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, todo.length)) }, worker));
  } finally {
    await writer.close();
  }
  return { records, written: records.length - previous.records.length, interrupted: settings.signal.aborted };
}

async function openPrevious(settings: BenchRunSettings): Promise<{ records: ResultRecord[]; torn: boolean }> {
  const read = await readResults(settings.resultsPath);
  if (!settings.resume) {
    if (read.records.length > 0 || read.torn) {
      throw new InputError(`${settings.resultsPath} already has results; pass --resume to continue it, or choose another --out`);
    }
    return { records: [], torn: false };
  }
  const key = settings.solve.optionsKey;
  const foreign = read.records.find((r) => r.options_key !== key);
  if (foreign) {
    throw new InputError(
      `${settings.resultsPath}: its results were made with other options (${describeOptions(foreign)}); resume with the same options, or choose another --out`,
    );
  }
  await dropTornTail(settings.resultsPath, read);
  // A shard's file holds only its own problems; a record of another task would be a mix-up.
  const wanted = new Set(settings.problems.map((p) => p.problem.id));
  const stray = read.records.find((r) => !wanted.has(r.task_id));
  if (stray) throw new InputError(`${settings.resultsPath}: has a result for ${stray.task_id}, which is not in this run (another shard, --ids or --limit?)`);
  return { records: read.records, torn: read.torn };
}

function describeOptions(record: ResultRecord): string {
  const o = record.options;
  return `mode ${o.mode}, method ${o.method}, model ${o.model}, level ${o.level}, max-iters ${o.max_iters}`;
}

interface Attempt {
  record?: ResultRecord;
  /** The sandbox may still be busy with an abandoned run: the worker takes a fresh one. */
  sandboxSpoiled: boolean;
}

/**
 * One problem, bounded in time: a problem that never finishes (a hung model call, a pathological
 * program) is recorded as 'problem-timeout' and does not hold its worker; an interrupt drops it.
 */
async function solveWithDeadline(item: IndexedProblem, settings: BenchRunSettings, sandbox: Sandbox): Promise<Attempt> {
  const controller = new AbortController();
  let onInterrupt = (): void => undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    onInterrupt = () => {
      controller.abort();
      resolve('interrupted');
    };
    if (settings.signal.aborted) onInterrupt();
    else settings.signal.addEventListener('abort', onInterrupt, { once: true });
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), settings.problemTimeoutMs);
  });
  const solving = solveProblem(item.problem, item.index, settings.solve, { sandbox, signal: controller.signal });
  solving.catch(() => undefined); // an abandoned attempt may reject later; nobody waits for it
  try {
    const first = await Promise.race([solving.then((record) => ({ record }), () => 'dropped' as const), deadline, interrupted]);
    if (first === 'interrupted' || first === 'dropped') return { sandboxSpoiled: true };
    if (first === 'timeout') {
      controller.abort();
      return { record: timedOutRecord(item, settings), sandboxSpoiled: true };
    }
    return { record: first.record, sandboxSpoiled: false };
  } finally {
    clearTimeout(timer);
    settings.signal.removeEventListener('abort', onInterrupt);
  }
}

function timedOutRecord(item: IndexedProblem, settings: BenchRunSettings): ResultRecord {
  const { solve } = settings;
  return {
    task_id: item.problem.id,
    index: item.index,
    dataset: solve.recordOptions.dataset,
    ...(item.problem.bugType === undefined ? {} : { bug_type: item.problem.bugType }),
    mode: solve.mode,
    method: solve.method,
    visible_tests: visibleTestsOf(item.problem),
    seed: null,
    final: null,
    seed_solved: false,
    solved: false,
    iterations: [],
    stop_reason: 'problem-timeout',
    error: `the problem did not finish within ${Math.round(settings.problemTimeoutMs / 1000)} s (--problem-timeout)`,
    usage: { prompt_tokens: 0, completion_tokens: 0, calls: 0, cached_calls: 0, cost_usd: null },
    wall_ms: settings.problemTimeoutMs,
    ldb_version: solve.version,
    options: solve.recordOptions,
    options_key: solve.optionsKey,
  };
}
