import type { Trace, TraceEvent } from '../sandbox/trace.js';

/** Steps re-recorded from a window re-run: `events[i]` is step `from + i`. */
export interface StepWindow {
  from: number;
  events: TraceEvent[];
}

/** What the debugger knows of one run: the kept head and tail, and any windows re-run since. */
export interface Recording {
  trace: Trace;
  windows: StepWindow[];
}

export function totalSteps(recording: Recording): number {
  return Math.max(recording.trace.totalEvents, recording.trace.events.length);
}

/** The event of step `k` (0-based), or undefined when it lies in the dropped middle, not re-run yet. */
export function eventAt(recording: Recording, k: number): TraceEvent | undefined {
  const { trace } = recording;
  if (k < 0 || k >= totalSteps(recording)) return undefined;
  if (k < trace.droppedAt) return trace.events[k];
  if (k >= trace.droppedAt + trace.dropped) return trace.events[k - trace.dropped];
  for (const window of recording.windows) {
    if (k >= window.from && k < window.from + window.events.length) return window.events[k - window.from];
  }
  return undefined;
}

/**
 * The steps with a known event, from `start` in `direction`, in order. Bounded by what was kept
 * (the trace cap plus re-run windows), so a search over them is as fast as the trace is small.
 */
export function* knownSteps(recording: Recording, start: number, direction: 1 | -1): Generator<number> {
  const ranges = knownRanges(recording);
  if (direction === 1) {
    for (const [from, to] of ranges) for (let k = Math.max(from, start); k < to; k++) yield k;
  } else {
    for (let r = ranges.length - 1; r >= 0; r--) {
      const [from, to] = ranges[r]!;
      for (let k = Math.min(to - 1, start); k >= from; k--) yield k;
    }
  }
}

/** Sorted, disjoint [from, to) ranges of steps whose events are known. */
export function knownRanges(recording: Recording): Array<[number, number]> {
  const { trace } = recording;
  const ranges: Array<[number, number]> = [[0, trace.droppedAt]];
  for (const w of recording.windows) ranges.push([w.from, w.from + w.events.length]);
  ranges.push([trace.droppedAt + trace.dropped, totalSteps(recording)]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of ranges) {
    if (to <= from) continue;
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** The first unknown step strictly between `a` and `b` (in either order), if any. */
export function firstGapBetween(recording: Recording, a: number, b: number): number | undefined {
  const [low, high] = a < b ? [a, b] : [b, a];
  const forward = a < b;
  const gaps = gapsOf(recording).filter(([from, to]) => from < high && to > low + 1);
  if (gaps.length === 0) return undefined;
  const gap = forward ? gaps[0]! : gaps[gaps.length - 1]!;
  return forward ? Math.max(gap[0], low + 1) : Math.min(gap[1] - 1, high - 1);
}

function gapsOf(recording: Recording): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  let at = 0;
  for (const [from, to] of knownRanges(recording)) {
    if (from > at) gaps.push([at, from]);
    at = to;
  }
  if (at < totalSteps(recording)) gaps.push([at, totalSteps(recording)]);
  return gaps;
}

/** The window to re-run so that step `k` becomes known: mostly after it (people step forward). */
export function windowAround(recording: Recording, k: number, size: number): { from: number; count: number } {
  const gap = gapsOf(recording).find(([from, to]) => k >= from && k < to) ?? [k, k + 1];
  const from = Math.max(gap[0], k - Math.floor(size / 10));
  const to = Math.min(gap[1], from + size);
  return { from, count: Math.max(1, to - from) };
}

/** The value a changed variable had before this step, in the same call (same depth, not left). */
export function previousValue(recording: Recording, k: number, name: string): string | undefined {
  const event = eventAt(recording, k);
  if (!event) return undefined;
  for (let j = k - 1, looked = 0; j >= 0 && looked < 10_000; j--, looked++) {
    const before = eventAt(recording, j);
    if (!before) return undefined;
    if (before.depth < event.depth) return undefined;
    if (before.depth === event.depth) return before.vars[name];
  }
  return undefined;
}

/**
 * The step the run failed at: where an exception started (the earliest throw of the run's last
 * stretch of throws and interrupted blocks), else the last step (a failed assertion sees the
 * value the call returned).
 */
export function failureStep(recording: Recording): number {
  const last = Math.max(0, totalSteps(recording) - 1);
  let thrownAt: number | undefined;
  for (const k of knownSteps(recording, last, -1)) {
    const exit = eventAt(recording, k)!.exit;
    if (exit === 'throw') thrownAt = k;
    else if (exit !== 'interrupted') break;
  }
  return thrownAt ?? last;
}
