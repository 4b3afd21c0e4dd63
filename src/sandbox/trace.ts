import type { SourceLocation } from '../errors.js';
import type { ProgramModel } from '../program/model.js';

/** One block visit: the variables as they were when the block finished (or was left). */
export interface TraceEvent {
  block: string;
  depth: number;
  vars: Record<string, string>;
  changed: string[];
  /** Variables the block assigns, changed or not (`m += 0` is a write); filled from the program's assignments. */
  written?: string[];
  /** How the block was left, when not by falling through to the next one. */
  exit?: 'return' | 'throw' | 'interrupted';
  /** The rendered return value (exit 'return') or thrown value (exit 'throw'). */
  value?: string;
  /** Truthiness of the branch/loop test that ended the block. */
  test?: boolean;
  /** 'load': the step ran while the program loaded (its top-level code), before the test's own code. */
  phase?: 'load';
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
  /** How many of totalEvents ran while the program loaded (events marked phase 'load'). */
  loadEvents?: number;
  /**
   * The model of the program as traced (its block ids name the steps), so nothing downstream
   * parses the text again. A non-enumerable property: it is not part of the trace's JSON.
   */
  readonly model?: ProgramModel;
}

/**
 * The trace as shown to people and models by default: from the test's own code on. Steps of
 * the program's top-level code (a demo call, say) stay in the data, marked phase 'load'; they
 * are shown only when nothing else ran (the program failed while loading).
 */
export function caseSteps(trace: Trace): Trace {
  const hidden = trace.events.filter((event) => event.phase === 'load').length;
  if (hidden === 0 || hidden === trace.events.length) return trace;
  const events = trace.events.filter((event) => event.phase !== 'load');
  const hiddenBeforeGap = trace.events.slice(0, trace.droppedAt).filter((event) => event.phase === 'load').length;
  const loadEvents = trace.loadEvents ?? hidden;
  return {
    ...trace,
    events,
    totalEvents: trace.totalEvents - loadEvents,
    droppedAt: trace.droppedAt - hiddenBeforeGap,
    // Load steps the cap dropped are not the case's either.
    dropped: Math.max(0, trace.dropped - (loadEvents - hidden)),
    truncated: trace.dropped - (loadEvents - hidden) > 0,
  };
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
