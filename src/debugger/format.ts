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
 * compacted to a budget, loops collapsed, and every omission said.
 */
export function formatTrace(trace: Trace, level: DebugLevel, options: FormatTraceOptions): CompactTrace {
  const granularity = level === 'line' ? 'statement' : 'block';
  const blocks = parseProgram(options.code, { filename: options.filename, granularity }).blocks;
  return compactTrace({ trace, blocks, source: options.code, level, budgetTokens: options.budgetTokens ?? 1500 });
}
