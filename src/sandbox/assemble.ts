import type { Block } from '../program/model.js';
import type { CaseRun } from './sandbox.js';
import type { WireEvent } from './guest/tracer.js';
import type { Trace, TraceEvent } from './trace.js';

/** Turns the compact events the sandbox sent into a Trace with block ids and named variables. */
export function assembleTrace(run: CaseRun, testSource: string, blocks: Block[], vars: string[][]): Trace {
  const head = run.wire?.head ?? [];
  const tail = run.wire?.tail ?? [];
  const totalEvents = run.wire?.total ?? 0;
  const events = [...head, ...tail].map((event) => toTraceEvent(event, blocks, vars));
  const dropped = Math.max(0, totalEvents - events.length);
  // Steps before the case started loaded the program; if the case never started, all did.
  const caseFrom = run.wire?.caseFrom;
  const loadEvents = caseFrom === undefined ? 0 : caseFrom < 0 ? totalEvents : Math.min(caseFrom, totalEvents);
  events.forEach((event, i) => {
    const number = i < head.length ? i : totalEvents - tail.length + (i - head.length);
    if (number < loadEvents) event.phase = 'load';
  });
  const caseEvents = events.filter((event) => event.phase !== 'load');
  return {
    test: testSource,
    outcome: run.outcome,
    events,
    totalEvents,
    truncated: dropped > 0,
    dropped,
    droppedAt: dropped > 0 ? head.length : events.length,
    console: run.console,
    returnValue: lastReturnAtDepth(caseEvents, 1),
    ...(loadEvents > 0 ? { loadEvents } : {}),
  };
}

function toTraceEvent(event: WireEvent, blocks: Block[], vars: string[][]): TraceEvent {
  const names = vars[event.b] ?? [];
  const values: Record<string, string> = {};
  names.forEach((name, k) => {
    const text = event.v[k];
    if (text != null) values[name] = text;
  });
  const result: TraceEvent = {
    block: blocks[event.b]?.id ?? `?#${event.b}`,
    depth: event.d,
    vars: values,
    changed: event.c.map((k) => names[k]).filter((name): name is string => name !== undefined),
  };
  if (event.x) result.exit = event.x;
  if (event.r !== undefined) result.value = event.r;
  if (event.t !== undefined) result.test = event.t;
  return result;
}

function lastReturnAtDepth(events: TraceEvent[], depth: number): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.depth === depth && event.exit === 'return') return event.value;
  }
  return undefined;
}
