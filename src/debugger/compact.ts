import type { Block } from '../program/model.js';
import { caseSteps, type Trace } from '../sandbox/trace.js';
import { dropOrder, fitAndRender } from './compact/budget.js';
import { functionLayout } from './compact/calls.js';
import { outline } from './compact/outline.js';
import { endOfRun } from './compact/render.js';
import { FOCUS_SCORE, scoreUnits } from './compact/relevance.js';
import { findRuns } from './compact/repeats.js';
import { SourceContext, withWrites } from './compact/source.js';
import { targetsOf } from './compact/targets.js';
import type { Layout } from './compact/units.js';
import { visitLayout } from './compact/visits.js';
import { countTokens as countWithTokenizer } from './tokens.js';

export { identifiersIn } from './compact/source.js';

import type { DebugLevel } from './result.js';

export interface CompactTraceInput {
  trace: Trace;
  blocks: Block[];
  source: string;
  level: DebugLevel;
  budgetTokens: number;
  countTokens?: (text: string) => number;
  /** Which steps a budget keeps: the most relevant to the failure (default), or the first and last (the old rule, for comparison). */
  keep?: 'relevance' | 'position';
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
  /** Whether the trace text shows one of its steps (false: it ran only where the text is cut or summarised). */
  shown?: boolean;
}

export interface CompactTrace {
  text: string;
  /** One note per place where the text leaves something out, in order (the text marks each with "…"). */
  omitted: string[];
  tokens: number;
  /** What the verification prompt asks verdicts for: the blocks, lines or calls shown in the text. */
  targets: VerdictTarget[];
  /** Numbers of the steps (calls at function level) the text shows in full. */
  shownSteps: number[];
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
  const context = new SourceContext(input.source, input.blocks);
  const trace = input.level === 'function' ? input.trace : withWrites(input.trace, context);
  const layout = layoutFor(trace, context, input.level);
  if (layout.units.length === 0) return emptyTrace(trace, count);
  const relevance = input.keep === 'position' ? { scores: [], focused: false } : scoreUnits(trace, layout);
  const focus = new Set(relevance.scores.flatMap((s, i) => (s >= FOCUS_SCORE ? [i] : [])));
  const items = outline(layout, findRuns(layout), focus);
  const order = dropOrder(items, layout, relevance.scores);
  const { dropped, text, omitted, tokens } = fitAndRender(items, order, layout, input.budgetTokens, count, relevance.focused);
  const shownSteps = items.flatMap((item, i) => (item.kind === 'unit' && !dropped.has(i) ? [layout.units[item.unit]!.number] : []));
  return { text, omitted, tokens, targets: targetsOf(items, dropped, layout), shownSteps };
}

function layoutFor(trace: Trace, context: SourceContext, level: DebugLevel): Layout {
  const end = endOfRun(trace);
  if (level === 'function') return functionLayout(trace, context, end);
  return visitLayout(trace, context, level, end);
}

function emptyTrace(trace: Trace, count: (text: string) => number): CompactTrace {
  const text = `No block of the program ran during this test.\n${endOfRun(trace)}`;
  return { text, omitted: [], tokens: count(text), targets: [], shownSteps: [] };
}
