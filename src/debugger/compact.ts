import type { Block } from '../program/model.js';
import { caseSteps, type Trace } from '../sandbox/trace.js';
import { dropOrder, fitBudget } from './compact/budget.js';
import { functionLayout } from './compact/calls.js';
import { outline } from './compact/outline.js';
import { endOfRun, render } from './compact/render.js';
import { findRuns } from './compact/repeats.js';
import { SourceContext } from './compact/source.js';
import { targetsOf } from './compact/targets.js';
import type { Layout } from './compact/units.js';
import { visitLayout } from './compact/visits.js';
import { countTokens as countWithTokenizer } from './tokens.js';

export { identifiersIn } from './compact/source.js';

/** How finely the trace is shown: a step per line of code, per block visit (LDB's default) or per call. */
export type TraceLevel = 'line' | 'block' | 'function';

export interface CompactTraceInput {
  trace: Trace;
  blocks: Block[];
  source: string;
  level: TraceLevel;
  budgetTokens: number;
  countTokens?: (text: string) => number;
}

/** One thing the model is asked to judge (a block, a line or a call) and the blocks its verdict applies to. */
export interface VerdictTarget {
  /** The id the model answers with: `sumTo#3`, `L11` or `fib/call-2`. */
  id: string;
  kind: 'block' | 'line' | 'call';
  /** What it is, for people and the fix prompt: `line 10`, `line 11`, `fib(n = 3)`. */
  label: string;
  /** The source lines it covers (a call: its whole function). */
  lines: { start: number; end: number };
  blocks: string[];
}

export interface CompactTrace {
  text: string;
  /** One note per place where the text leaves something out, in order (the text marks each with "…"). */
  omitted: string[];
  tokens: number;
  /** What the verification prompt asks verdicts for: the blocks, lines or calls shown in the text. */
  targets: VerdictTarget[];
}

/**
 * Turns a trace into the text the model reads, within `budgetTokens`, saying everything it leaves out.
 * The steps: lay the trace out as units (steps or calls), collapse repeated loop bodies into summaries,
 * drop the least useful items until the text fits, then render it and list what it asks verdicts on.
 */
export function compactTrace(whole: CompactTraceInput): CompactTrace {
  // The model judges the test's own run; steps of loading the program stay out (see caseSteps).
  const input = { ...whole, trace: caseSteps(whole.trace) };
  const count = input.countTokens ?? countWithTokenizer;
  const layout = layoutFor(input);
  if (layout.units.length === 0) return emptyTrace(input.trace, count);
  const items = outline(layout, findRuns(layout));
  const order = dropOrder(items, layout);
  const dropped = fitBudget(items, order, layout, input.budgetTokens, count);
  const { text, omitted } = render(items, dropped, layout);
  return { text, omitted, tokens: count(text), targets: targetsOf(items, dropped, layout) };
}

function layoutFor(input: CompactTraceInput): Layout {
  const context = new SourceContext(input.source, input.blocks);
  const end = endOfRun(input.trace);
  if (input.level === 'function') return functionLayout(input.trace, context, end);
  return visitLayout(input.trace, context, input.level, end);
}

function emptyTrace(trace: Trace, count: (text: string) => number): CompactTrace {
  const text = `No block of the program ran during this test.\n${endOfRun(trace)}`;
  return { text, omitted: [], tokens: count(text), targets: [] };
}
