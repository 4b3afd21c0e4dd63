import type { CaseResult, TestRun } from '../api.js';
import { LdbError } from '../errors.js';
import { describeOutcome, type Outcome } from '../sandbox/trace.js';
import type { OutcomeOutput, RunTestsOutput } from './schemas.js';

/** What a tool handler returns: text for the agent to read, the same facts as data. */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function toolResult(text: string, structured: object): ToolResult {
  return { content: [{ type: 'text', text }], structuredContent: { ...structured } };
}

/**
 * A failed call as an MCP tool error: the agent reads what was wrong (a syntax error comes with
 * file:line:column and the code frame) and can correct its call; the server carries on.
 */
export function toolError(error: unknown): ToolResult {
  return { content: [{ type: 'text', text: errorText(error) }], isError: true };
}

function errorText(error: unknown): string {
  if (error instanceof LdbError) return error.message;
  if (error instanceof RangeError && error.message.startsWith('invalid limits')) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
  const detail = error instanceof Error ? error.message : String(error);
  return `ldb internal error (please report it): ${detail}`;
}

export function outcomeData(outcome: Outcome): OutcomeOutput {
  const data: OutcomeOutput = { kind: outcome.kind, summary: describeOutcome(outcome) };
  switch (outcome.kind) {
    case 'fail':
      data.message = outcome.message;
      if (outcome.expected !== undefined) data.expected = outcome.expected;
      if (outcome.actual !== undefined) data.actual = outcome.actual;
      break;
    case 'error':
      data.name = outcome.name;
      data.message = outcome.message;
      if (outcome.loc) data.loc = { ...(outcome.loc.file ? { file: outcome.loc.file } : {}), line: outcome.loc.line, column: outcome.loc.column };
      break;
    case 'timeout':
      data.limitMs = outcome.limitMs;
      break;
    case 'memory':
      data.limitMb = outcome.limitMb;
      break;
  }
  return data;
}

export function runData(run: TestRun): RunTestsOutput {
  return {
    passed: run.passed,
    failed: run.failed,
    total: run.cases.length,
    cases: run.cases.map(caseData),
  };
}

function caseData(result: CaseResult): RunTestsOutput['cases'][number] {
  return {
    index: result.case.index,
    source: result.case.source,
    line: result.case.line,
    outcome: outcomeData(result.outcome),
    console: result.console,
    durationMs: Math.round(result.durationMs * 10) / 10,
  };
}

/** One line per case, then the console output of the failing ones (the first lines of it). */
export function formatRun(run: TestRun): string {
  const lines = run.cases.map((c) => {
    const mark = c.outcome.kind === 'pass' ? 'PASS' : 'FAIL';
    const where = c.outcome.kind === 'error' && c.outcome.loc ? ` (${c.outcome.loc.file ?? 'program'}:${c.outcome.loc.line})` : '';
    const detail = c.outcome.kind === 'pass' ? '' : `  -> ${describeOutcome(c.outcome)}${where}`;
    return `${mark} [${c.case.index}] ${oneLine(c.case.source)}${detail}`;
  });
  lines.push(`${run.passed} passed, ${run.failed} failed, ${run.cases.length} cases`);
  for (const c of run.cases) {
    if (c.outcome.kind === 'pass' || c.console.length === 0) continue;
    const shown = c.console.slice(0, 10).map((line) => `  ${line}`);
    const more = c.console.length > 10 ? [`  … ${c.console.length - 10} more lines`] : [];
    lines.push(`console of case ${c.case.index}:`, ...shown, ...more);
  }
  return lines.join('\n');
}

export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
