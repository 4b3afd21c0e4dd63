import type { SourceLocation } from '../errors.js';

/** One block visit: the variables as they were when the block finished (or was left). */
export interface TraceEvent {
  block: string;
  depth: number;
  vars: Record<string, string>;
  changed: string[];
  /** How the block was left, when not by falling through to the next one. */
  exit?: 'return' | 'throw' | 'interrupted';
  /** The rendered return value (exit 'return') or thrown value (exit 'throw'). */
  value?: string;
  /** Truthiness of the branch/loop test that ended the block. */
  test?: boolean;
}

export type Outcome =
  | { kind: 'pass' }
  | { kind: 'fail'; message: string; expected?: string; actual?: string; /** The failing assertion, when known (test()-style cases). */ loc?: SourceLocation }
  | { kind: 'error'; name: string; message: string; loc?: SourceLocation; stack?: string }
  | { kind: 'timeout'; limitMs: number; /** Set when the run ended early because nothing could ever finish it. */ reason?: string }
  | { kind: 'memory'; limitMb: number };

export interface Trace {
  /** The test case's source text. */
  test: string;
  outcome: Outcome;
  /** Kept events in order: the first ones, then (if truncated) the last ones. */
  events: TraceEvent[];
  totalEvents: number;
  truncated: boolean;
  /** When truncated: how many events were dropped, between events[droppedAt - 1] and events[droppedAt]. */
  dropped: number;
  droppedAt: number;
  console: string[];
  /**
   * Set on a window re-run (traceTest's `window` option): `events` are the steps from
   * `window.from` on, not the first and last ones.
   */
  window?: { from: number };
  /** The value the tested call returned, when it returned (the last depth-1 return). */
  returnValue?: string;
}

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'pass':
      return 'passed';
    case 'fail':
      return outcome.expected !== undefined
        ? `failed: expected ${outcome.expected}, got ${outcome.actual ?? '?'}`
        : `failed: ${outcome.message}`;
    case 'error':
      return `${outcome.name}: ${outcome.message}`;
    case 'timeout':
      return outcome.reason ? `timed out: ${outcome.reason}` : `timed out after ${outcome.limitMs} ms`;
    case 'memory':
      return `ran out of memory (limit ${outcome.limitMb} MB)`;
  }
}
