import type { Granularity } from '../program/cfg.js';
import { parseProgram } from '../program/program.js';
import type { Trace } from '../sandbox/trace.js';
import { compactTrace, type CompactTrace } from './compact.js';
import type { DebugLevel } from './result.js';

export interface FormatTraceOptions {
  /** The program the trace was recorded from (its blocks and lines are shown). */
  code: string;
  filename?: string;
  /** Token budget of the text; default 1500. */
  budgetTokens?: number;
}

/**
 * The trace as the LLM reads it in ldb's own prompts, for callers that run their own loop:
 * compacted to a budget, loops collapsed, and every omission said. (The terminal's view of a trace
 * is the CLI's own, in src/cli/format-trace.ts.)
 */
export function formatTraceForModel(trace: Trace, level: DebugLevel, options: FormatTraceOptions): CompactTrace {
  const blocks = parseProgram(options.code, { filename: options.filename, granularity: granularityFor(level) }).blocks;
  return compactTrace({ trace, blocks, source: options.code, level, budgetTokens: options.budgetTokens ?? 1500 });
}

/**
 * How finely a program is cut into blocks for a debug level. Tracing and the trace's text must
 * agree on it: the trace names its steps by the ids of these blocks.
 */
export function granularityFor(level: DebugLevel): Granularity {
  return level === 'line' ? 'statement' : 'block';
}

/** The public API's name for formatTraceForModel (kept so existing callers keep working). */
export const formatTrace = formatTraceForModel;
