import type { Outcome, Trace, TraceEvent } from '../../sandbox/trace.js';
import type { VerdictTarget } from '../compact.js';
import type { DebugLevel } from '../result.js';
import { clip, MAX_VALUE_CHARS } from './text.js';

/** A printed step: one block visit (block/line level) or one call (function level). */
export interface Unit {
  /** Step number in the whole run (block/line level) or call number (function level). */
  number: number;
  /** Units with the same key after the same change of depth took the same path (repeat detection). */
  key: string;
  depth: number;
  /** Values the summary of a collapsed loop reports ranges of. */
  vars: Record<string, string>;
  /** Function level: what the call returned or threw, summarised like a variable. */
  result?: string;
  /** Printed lines, indented for depth. */
  lines: string[];
  targets: VerdictTarget[];
  /** Targets asked about only when nothing else ran (a function's entry: its arguments are the caller's doing). */
  fallbackTargets: VerdictTarget[];
  /** A loop that repeats this unit is called iterations, otherwise repetitions. */
  loop: boolean;
  /** Never dropped: the error was thrown here, or (function level) it is the tested call. */
  pinned: boolean;
}

/** The tracer's own gap (a long run keeps only its first and last steps): `steps` unrecorded, before units[at]. */
export interface TracerGap {
  at: number;
  steps: number;
}

/** The units of one trace at one level, and the fixed text around them. */
export interface Layout {
  level: DebugLevel;
  noun: 'step' | 'call';
  units: Unit[];
  gap?: TracerGap;
  /** Steps of the whole run (block visits), recorded or not. */
  totalSteps: number;
  legend: string;
  end: string;
}

/** The gap the tracer left, placed before the unit at `at`; undefined when it recorded every step. */
export function tracerGap(trace: Trace, at: number): TracerGap | undefined {
  return trace.truncated && trace.dropped > 0 ? { at, steps: trace.dropped } : undefined;
}

/**
 * The repeat-detection key: what ran (block id or function name) and how the depth changed since
 * the unit before, so a recursion that goes one call deeper each time still repeats.
 */
export function unitKey(name: string, depth: number, previousDepth: number): string {
  return `${name}|${depth - previousDepth}`;
}

/** The block id or function name a key was made from. */
export function keyName(key: string): string {
  return key.slice(0, key.lastIndexOf('|'));
}

/** The event where the error was thrown: the first of the trailing events that an exception left. */
export function errorOrigin(trace: Trace): number {
  if (trace.outcome.kind !== 'error') return -1;
  let origin = -1;
  for (let i = trace.events.length - 1; i >= 0; i--) {
    const exit = trace.events[i]!.exit;
    if (exit !== 'interrupted' && exit !== 'throw') break;
    origin = i;
  }
  return origin;
}

/** How the event left its function ("returns 3"), or undefined when it did not. */
export function exitText(event: TraceEvent): string | undefined {
  if (event.exit === 'return') return `returns ${clip(event.value ?? 'undefined', MAX_VALUE_CHARS)}`;
  if (event.exit === 'throw') return `throws ${clip(event.value ?? '', MAX_VALUE_CHARS)}`;
  if (event.exit === 'interrupted') return 'left by the exception';
  return undefined;
}

/** The mark on the unit where the run's error was thrown; `error` is given only for that unit. */
export function thrownHere(error: Outcome | undefined): string | undefined {
  return error?.kind === 'error' ? `✗ ${error.name} thrown here: ${error.message}` : undefined;
}
