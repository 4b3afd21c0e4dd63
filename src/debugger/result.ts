import type { CaseResult } from '../api.js';
import type { Usage } from '../llm/model.js';
import type { Outcome, Trace } from '../sandbox/trace.js';

import type { Verdict } from './verdicts.js';

export type { Verdict };

export type DebugLevel = 'line' | 'block' | 'function';

export interface TokenTotals {
  promptTokens: number;
  completionTokens: number;
  /** Null when some call's price is unknown. */
  costUsd: number | null;
  calls: number;
  cachedCalls: number;
}

export interface CaseSummary {
  source: string;
  outcome: Outcome;
}

/** One turn of the LDB loop: test the program; if a case fails, trace it, verify, fix. */
export interface DebugIteration {
  index: number;
  /** The program this iteration tested. */
  code: string;
  passed: number;
  total: number;
  cases: CaseSummary[];
  /** The failing case that was traced (absent when every case passed). */
  failingCase?: number;
  trace?: Trace;
  /** Null when the model's verdicts could not be read even after one retry. */
  verdicts?: Verdict[] | null;
  notes: string[];
  /** The program the model proposed, and its diff from `code`. */
  patch?: { code: string; diff: string };
  usage: TokenTotals;
}

export type StopReason = 'solved' | 'max-iterations' | 'token-budget' | 'repeated-program' | 'no-fix' | 'aborted';

export interface DebugResult {
  iterations: DebugIteration[];
  /** Most visible tests passed, earliest on ties. */
  best: { code: string; passed: number; total: number; iteration: number };
  solved: boolean;
  stopReason: StopReason;
  /** The program was written by the model from the prompt (no program was given). */
  seeded: boolean;
  usage: TokenTotals;
}

export type DebugEvent =
  | { type: 'seed'; code: string; usage: Usage }
  | { type: 'iteration'; index: number; code: string }
  | { type: 'tests'; index: number; passed: number; total: number; cases: CaseResult[] }
  | { type: 'trace'; index: number; failingCase: number; trace: Trace; promptTokens: number; /** The compacted text the model is shown. */ text?: string }
  | { type: 'verdicts'; index: number; verdicts: Verdict[] | null; notes: string[] }
  | { type: 'patch'; index: number; code: string; diff: string }
  | { type: 'usage'; index: number; usage: Usage; purpose: 'seed' | 'verify' | 'fix' }
  | { type: 'done'; result: DebugResult };

export function emptyTotals(): TokenTotals {
  return { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0, cachedCalls: 0 };
}

export function addUsage(totals: TokenTotals, usage: Usage): void {
  totals.promptTokens += usage.promptTokens;
  totals.completionTokens += usage.completionTokens;
  totals.costUsd = totals.costUsd === null || usage.costUsd === null ? null : totals.costUsd + usage.costUsd;
  totals.calls += 1;
  if (usage.cached) totals.cachedCalls += 1;
}

export function sumTotals(all: TokenTotals[]): TokenTotals {
  const sum = emptyTotals();
  for (const t of all) {
    sum.promptTokens += t.promptTokens;
    sum.completionTokens += t.completionTokens;
    sum.costUsd = sum.costUsd === null || t.costUsd === null ? null : sum.costUsd + t.costUsd;
    sum.calls += t.calls;
    sum.cachedCalls += t.cachedCalls;
  }
  return sum;
}
