import { runTests, traceTest } from '../../api.js';
import type { TestCase } from '../../cases/split.js';
import type { CompactTrace } from '../../debugger/compact.js';
import { formatTrace, granularityFor } from '../../debugger/format.js';
import { describeFailure, verificationMessages } from '../../debugger/prompts.js';
import type { DebugLevel } from '../../debugger/result.js';
import { parseVerdicts } from '../../debugger/verdicts.js';
import { InputError } from '../../errors.js';
import type { ChatMessage } from '../../llm/model.js';
import { limitsFor, programAndTests, type CallControl, type ToolContext } from '../context.js';
import { toolResult, type ToolResult } from '../results.js';
import type { CheckVerdictsInput, DebugContextInput } from '../schemas.js';

/** The failing run a model is asked to judge, as ldb's own loop prepares it. */
interface Judgement {
  level: DebugLevel;
  testCase: TestCase;
  failure: string;
  compact: CompactTrace;
  messages: ChatMessage[];
}

/** Runs the tests, traces the chosen failing case and builds ldb's verification prompt; undefined when all pass. */
async function prepare(context: ToolContext, args: DebugContextInput, control: CallControl): Promise<Judgement | undefined> {
  const { program, cases } = await programAndTests(context, args);
  const level = args.level ?? 'block';
  const limits = limitsFor(context, args);
  const base = { code: program.code, filename: program.filename, limits, entryPoint: args.entryPoint };
  const traced = await context.pool.use(async (sandbox) => {
    const run = await runTests({ ...base, tests: cases, sandbox });
    const chosen = args.caseIndex !== undefined ? run.cases[args.caseIndex] : run.cases.find((c) => c.outcome.kind !== 'pass');
    if (args.caseIndex !== undefined && !chosen) throw new InputError(`there is no test case ${args.caseIndex}: the tests have ${run.cases.length} case(s), numbered from 0`);
    if (!chosen || chosen.outcome.kind === 'pass') return undefined;
    const trace = await traceTest({ ...base, test: chosen.case, granularity: granularityFor(level), sandbox });
    return { testCase: chosen.case, trace };
  }, control.signal);
  if (!traced) return undefined;
  const { testCase, trace } = traced;
  const compact = formatTrace(trace, level, { code: program.code, filename: program.filename });
  const messages = verificationMessages({
    task: args.task,
    code: program.code,
    filename: program.filename,
    testCase,
    outcome: trace.outcome,
    compact,
    level,
    console: trace.console,
  });
  return { level, testCase, failure: describeFailure(trace.outcome, program.filename), compact, messages };
}

function verdictShape(ids: string[]): string {
  return `{"verdicts": [{"block": "<id>", "correct": true|false, "explanation": "<why>"}]} with one entry for each of: ${ids.join(', ')}`;
}

/**
 * debug_context: everything a model needs to judge the failing run, the way ldb asks its own
 * model: the prompt messages (task, numbered program, failing test, compacted trace), the ids to
 * judge, and the verdict shape check_verdicts accepts.
 */
export async function debugContextTool(context: ToolContext, args: DebugContextInput, control: CallControl): Promise<ToolResult> {
  const judged = await prepare(context, args, control);
  const level = args.level ?? 'block';
  if (!judged) {
    const data = { failing: false, caseIndex: null, test: null, failure: null, level, targets: [], trace: null, messages: [], verdictShape: verdictShape([]) };
    return toolResult(args.caseIndex !== undefined ? `Case ${args.caseIndex} passes: nothing to judge.` : 'Every test passes: nothing to judge.', data);
  }
  const ids = judged.compact.targets.map((t) => t.id);
  const data = {
    failing: true,
    caseIndex: judged.testCase.index,
    test: judged.testCase.source,
    failure: judged.failure,
    level: judged.level,
    targets: judged.compact.targets.map(({ id, kind, label, lines }) => ({ id, kind, label, lines })),
    trace: judged.compact.text,
    messages: judged.messages.map(({ role, content }) => ({ role, content })),
    verdictShape: verdictShape(ids),
  };
  const user = judged.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n\n');
  const text = `${user}\n\n(Judge these ids, then pass your verdicts to check_verdicts with the same program, tests and level: ${ids.join(', ') || 'none: no block ran'}.)`;
  return toolResult(text, data);
}

/** check_verdicts: reads an agent's verdicts as ldb reads its model's, against the real ids of the run. */
export async function checkVerdictsTool(context: ToolContext, args: CheckVerdictsInput, control: CallControl): Promise<ToolResult> {
  const judged = await prepare(context, args, control);
  if (!judged) throw new InputError('every test passes, so there is no failing run to judge');
  const expected = judged.compact.targets.map((t) => t.id);
  const reply = typeof args.verdicts === 'string' ? args.verdicts : JSON.stringify(args.verdicts);
  const parsed = parseVerdicts(reply, expected);
  if (!parsed.ok) {
    const data = { ok: false, error: parsed.error, warnings: [], verdicts: [], expected, missing: expected };
    return toolResult(`The verdicts cannot be used: ${parsed.error}`, data);
  }
  const judgedIds = new Set(parsed.verdicts.map((v) => v.block));
  const missing = expected.filter((id) => !judgedIds.has(id));
  const wrong = parsed.verdicts.filter((v) => !v.correct).map((v) => v.block);
  const data = { ok: true, error: null, warnings: parsed.warnings, verdicts: parsed.verdicts, expected, missing };
  const lines = [
    `Verdicts read: ${parsed.verdicts.length} of ${expected.length} ids judged; wrong: ${wrong.join(', ') || 'none'}.`,
    ...parsed.warnings.map((w) => `warning: ${w}`),
  ];
  return toolResult(lines.join('\n'), data);
}
