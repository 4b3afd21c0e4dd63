// The results file format: one JSON object per problem, one line each (snake_case, as the
// Python harnesses people compare against write theirs).
import type { DebugLevel, StopReason } from '../debugger/result.js';

export type BenchMode = 'fix' | 'generate' | 'seeds';
export type BenchMethod = 'ldb' | 'baseline';

/** The options that change what a result means; runs are merged or resumed only when these agree. */
export interface RecordOptions {
  /** The bundled set's name, or the file's base name. */
  dataset: string;
  /** sha256 of the dataset file, so shards run on different machines can be checked to be one run. */
  dataset_sha256: string;
  mode: BenchMode;
  method: BenchMethod;
  model: string;
  level: DebugLevel;
  max_iters: number;
  budget: number | null;
  time_limit_ms: number | null;
  /** sha256 of the seeds file, in --mode seeds. */
  seeds: string | null;
}

export interface TestScore {
  passed: number;
  total: number;
}

export interface ProgramScore {
  code: string;
  visible: TestScore;
  hidden: TestScore;
}

export interface RecordVerdict {
  block: string;
  correct: boolean;
  explanation: string;
}

export interface RecordIteration {
  index: number;
  visible: TestScore;
  hidden: TestScore;
  /** The visible case that was debugged (its source), when one failed. */
  failing_test?: string;
  /** What the failing test did, in one line. */
  failure?: string;
  /** The compacted trace text the model was shown (ldb method only). */
  trace_text?: string;
  /** Null when the model's verdicts could not be read; absent when none were asked for. */
  verdicts?: RecordVerdict[] | null;
  patch_diff?: string;
  notes: string[];
  tokens: number;
}

export interface RecordUsage {
  prompt_tokens: number;
  completion_tokens: number;
  calls: number;
  cached_calls: number;
  cost_usd: number | null;
}

export type BenchStopReason = StopReason | 'error' | 'problem-timeout' | 'no-visible-tests';

export interface ResultRecord {
  task_id: string;
  /** Position of the problem in the dataset, so merged shards keep the dataset's order. */
  index: number;
  dataset: string;
  bug_type?: string;
  mode: BenchMode;
  method: BenchMethod;
  /** Which tests the model could see: the dataset's examples or the first hidden assertion. */
  visible_tests: { from: 'examples' | 'first-test' | 'none'; tests: string[] };
  seed: ProgramScore | null;
  final: (ProgramScore & { iteration: number }) | null;
  seed_solved: boolean;
  /** Every hidden test passes on the final program. */
  solved: boolean;
  iterations: RecordIteration[];
  stop_reason: BenchStopReason;
  error?: string;
  usage: RecordUsage;
  wall_ms: number;
  ldb_version: string;
  options: RecordOptions;
  /** sha256 of the options, compared by --resume and merge. */
  options_key: string;
}
