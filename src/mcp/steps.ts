import type { Trace, TraceEvent } from '../sandbox/trace.js';
import type { StepOutput } from './schemas.js';

/** A recorded block visit with its place in the whole run (1-based, as ldb's trace text numbers steps). */
export interface NumberedEvent {
  step: number;
  event: TraceEvent;
}

/**
 * Every recorded event numbered by its step in the run: the dropped middle of a long run is
 * skipped; a window re-run's events are the steps from its window on.
 */
export function numberedEvents(trace: Trace): NumberedEvent[] {
  if (trace.window) {
    const first = trace.window.from + 1;
    return trace.events.map((event, i) => ({ step: first + i, event }));
  }
  const skip = trace.truncated ? trace.dropped : 0;
  return trace.events.map((event, i) => ({ step: i < trace.droppedAt || !trace.truncated ? i + 1 : i + 1 + skip, event }));
}

/** The steps that were run but not recorded (the middle of a run longer than the event cap). */
export function unrecorded(trace: Trace): { from: number; to: number } | null {
  if (trace.window || !trace.truncated || trace.dropped === 0) return null;
  return { from: trace.droppedAt + 1, to: trace.droppedAt + trace.dropped };
}

export function stepData({ step, event }: NumberedEvent, lines: Map<string, number>): StepOutput {
  const data: StepOutput = {
    step,
    block: event.block,
    line: lines.get(event.block) ?? null,
    depth: event.depth,
    vars: event.vars,
    changed: event.changed,
  };
  if (event.exit) data.exit = event.exit;
  if (event.value !== undefined) data.value = event.value;
  if (event.test !== undefined) data.test = event.test;
  return data;
}

/** `step 12 · sumTo#3, line 11 · returns 3` then the variables, changed ones marked with `*`. */
export function formatStep(step: StepOutput): string {
  const place = step.line !== null ? `, line ${step.line}` : '';
  const test = step.test !== undefined ? ` · test → ${step.test}` : '';
  const exit = step.exit === 'return' ? ` · returns ${step.value ?? 'undefined'}` : step.exit === 'throw' ? ` · throws ${step.value ?? ''}` : '';
  const indent = '  '.repeat(Math.max(0, step.depth - 1));
  const vars = Object.entries(step.vars).map(([name, value]) => `${name} = ${value}${step.changed.includes(name) ? '*' : ''}`);
  return `${indent}step ${step.step} · ${step.block}${place}${test}${exit}\n${indent}  ${vars.join('  ') || '(no variables)'}`;
}
