import { TOP_LEVEL } from '../../program/model.js';
import type { Outcome, Trace } from '../../sandbox/trace.js';
import type { SourceContext } from './source.js';
import { assignments, indent, MAX_SUMMARY_VALUE_CHARS, MAX_VALUE_CHARS } from './text.js';
import { errorOrigin, exitText, thrownHere, tracerGap, unitKey, type Layout, type Unit } from './units.js';

// Function level: one unit per call, paired from the entry visit to the visit that left it.

interface Call {
  fn: string;
  depth: number;
  /** Arguments at entry; undefined when the entry was not recorded. */
  args?: Record<string, string>;
  /** Variables after the call's first and last recorded steps (for calls entered out of sight, and top-level code). */
  first: Record<string, string>;
  last: Record<string, string>;
  result?: string;
  events: number[];
}

const LEGEND = 'One line per call: call id, fn(arguments at entry) → what it returned or threw. Calls made by a call are indented under it.';

export function functionLayout(trace: Trace, context: SourceContext, end: string): Layout {
  const { calls, gapAt } = collectCalls(trace, context);
  const originEvent = errorOrigin(trace);
  // The tested call: the first call at the shallowest depth (top-level code is not a call).
  const outermost = Math.min(...calls.map((c) => (c.fn === TOP_LEVEL ? Infinity : c.depth)));
  const tested = calls.findIndex((c) => c.depth === outermost);
  const units = calls.map((call, i): Unit => {
    const failedHere = originEvent >= 0 && call.events.includes(originEvent);
    const unit = callUnit(call, i + 1, context, failedHere ? trace.outcome : undefined);
    const key = unitKey(call.fn, call.depth, calls[i - 1]?.depth ?? call.depth);
    return { ...unit, key, pinned: failedHere || i === tested };
  });
  const gap = tracerGap(trace, gapAt);
  return { level: 'function', noun: 'call', units, gap, totalSteps: trace.totalEvents, legend: LEGEND, end };
}

function callUnit(call: Call, number: number, context: SourceContext, error: Outcome | undefined): Omit<Unit, 'key' | 'pinned'> {
  const id = `${call.fn}/call-${number}`;
  const all = context.blocks.filter((b) => b.fn === call.fn);
  const own = all.filter((b) => b.kind !== 'exit');
  // The exit block sits on the closing brace: with it the range is the whole function.
  const lines = { start: Math.min(...all.map((b) => b.loc.start.line)), end: Math.max(...all.map((b) => b.loc.end.line)) };
  const judged = call.fn !== TOP_LEVEL && own.length > 0;
  return {
    number,
    depth: call.depth,
    vars: call.args ?? call.first,
    result: call.result,
    lines: indent([`${id}  ${callText(call)}${callResult(call, error)}`], call.depth),
    targets: judged ? [{ id, kind: 'call', label: callText(call), lines, blocks: own.map((b) => b.id) }] : [],
    fallbackTargets: [],
    loop: false,
  };
}

/** The calls in the order they were entered; `gapAt` is the index of the first call after the tracer's gap. */
function collectCalls(trace: Trace, context: SourceContext): { calls: Call[]; gapAt: number } {
  const calls: Call[] = [];
  const stack: Call[] = [];
  let gapAt = -1;
  trace.events.forEach((event, i) => {
    if (trace.truncated && i === trace.droppedAt) gapAt = calls.length;
    const block = context.block(event.block);
    const fn = block?.fn ?? event.block.replace(/#\d+$/, '');
    while (stack.length > 0 && stack[stack.length - 1]!.depth > event.depth) stack.pop();
    if (block?.kind === 'entry') while (stack.length > 0 && stack[stack.length - 1]!.depth >= event.depth) stack.pop();
    let call = stack[stack.length - 1];
    if (!call || call.depth !== event.depth || call.fn !== fn || block?.kind === 'entry') {
      const args = block?.kind === 'entry' ? event.vars : undefined;
      call = { fn, depth: event.depth, args, first: event.vars, last: event.vars, events: [] };
      calls.push(call);
      stack.push(call);
    }
    call.events.push(i);
    call.last = event.vars;
    const result = exitText(event);
    if (result) {
      call.result = result;
      stack.pop();
    }
  });
  for (const open of stack) open.result ??= stillRunning(trace.outcome);
  return { calls, gapAt: gapAt < 0 ? calls.length : gapAt };
}

function stillRunning(outcome: Outcome): string | undefined {
  if (outcome.kind === 'timeout' || outcome.kind === 'memory') return 'still running when the run was stopped';
  return undefined;
}

function callText(call: Call): string {
  if (call.fn === TOP_LEVEL) {
    const values = assignments(call.last, MAX_SUMMARY_VALUE_CHARS);
    return `(top-level code)${values.length > 0 ? ` defines ${values.join(', ')}` : ''}`;
  }
  if (!call.args) {
    const seen = assignments(call.first, MAX_SUMMARY_VALUE_CHARS);
    return `${call.fn}(…) (entered where the run was not recorded; first seen with ${seen.join(', ') || 'no variables'})`;
  }
  return `${call.fn}(${assignments(call.args, MAX_VALUE_CHARS).join(', ')})`;
}

function callResult(call: Call, error: Outcome | undefined): string {
  const thrown = thrownHere(error);
  if (thrown) return ` → ${thrown}`;
  if (call.fn === TOP_LEVEL) return '';
  return ` → ${call.result ?? 'ends without a recorded return (undefined)'}`;
}
