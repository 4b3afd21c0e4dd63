import type { CaseResult, TestRun } from '../api.js';
import { SandboxProcess } from '../sandbox/process.js';
import type { ProgramModel, Range } from '../program/model.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { Outcome, Trace } from '../sandbox/trace.js';
import type { CommandRun } from './command.js';
import { limitsFrom } from './common-options.js';
import { formatCaseList, formatTraceForTerminal } from './format-trace.js';
import type { CliIO } from './io.js';
import { UsageError, type OptionValues } from './options.js';
import { createStyle, wantsColor } from './style.js';
import { collectTestCases, expectProgramAndTests, readInput } from './inputs.js';

interface TraceArgs {
  file: string;
  testsFile?: string;
  inlineTests: string[];
  caseNumber?: number;
  json: boolean;
  allSteps: boolean;
  color?: boolean;
  limits: LimitsInput;
  entryPoint?: string;
}

export const runTrace: CommandRun = async ({ values, positionals }, io) => {
  const args = traceArgs(values, positionals);
  // The sandbox server starts while Babel loads here (two processes, two cores).
  SandboxProcess.prewarm();
  const [{ runTests }, { parseProgram }] = await Promise.all([import('../api.js'), import('../program/program.js')]);
  const code = await readInput(io, args.file, 'program');
  const model = parseProgram(code, { filename: args.file });
  const cases = await collectTestCases(io, args.testsFile, args.inlineTests, true);
  const run = await runTests({ code, filename: args.file, tests: cases, trace: true, limits: args.limits, entryPoint: args.entryPoint });
  const chosen = chooseCase(run, args.caseNumber);
  if (args.json) io.stdout(`${JSON.stringify(jsonReport(args, model, run, chosen), null, 2)}\n`);
  else printReport(io, args, code, model, run, chosen);
  return run.failed > 0 ? 1 : 0;
};

function traceArgs(values: OptionValues, positionals: string[]): TraceArgs {
  const testsFile = values.tests as string | undefined;
  const inlineTests = values.test as string[];
  return {
    file: expectProgramAndTests('trace', positionals, testsFile, inlineTests),
    testsFile,
    inlineTests,
    caseNumber: values.case as number | undefined,
    json: values.json === true,
    allSteps: values['all-steps'] === true,
    entryPoint: values.entry as string | undefined,
    color: values.color as boolean | undefined,
    limits: limitsFrom(values),
  };
}

function chooseCase(run: TestRun, caseNumber: number | undefined): CaseResult | undefined {
  if (caseNumber !== undefined) {
    const chosen = run.cases[caseNumber - 1];
    if (!chosen) throw new UsageError('trace', `--case ${caseNumber} is out of range; there are ${run.cases.length} cases`);
    return chosen;
  }
  return run.cases.find((c) => c.outcome.kind !== 'pass');
}

function printReport(io: CliIO, args: TraceArgs, code: string, model: ProgramModel, run: TestRun, chosen: CaseResult | undefined): void {
  const style = createStyle(wantsColor(io.env, io.isTTY, args.color));
  const out: string[] = [style.bold(`ldb trace ${args.file}`), ...formatCaseList(run.cases, style)];
  const summary = `${run.passed} passed, ${run.failed} failed`;
  out.push(run.failed > 0 ? style.fail(summary) : style.pass(summary), '');
  if (chosen?.trace) {
    const view = { trace: chosen.trace, blocks: model.blocks, source: code, caseNumber: chosen.case.index + 1, title: chosen.case.name, allSteps: args.allSteps };
    out.push(...formatTraceForTerminal(view, style));
  } else {
    out.push(style.pass('Every case passed; use --case <n> to see the trace of one.'));
  }
  io.stdout(`${out.join('\n')}\n`);
}

/** The JSON report counts like the terminal: case numbers, lines and columns are all 1-based. */
function jsonReport(args: TraceArgs, model: ProgramModel, run: TestRun, chosen: CaseResult | undefined) {
  return {
    file: args.file,
    passed: run.passed,
    failed: run.failed,
    cases: run.cases.map((c) => ({
      case: c.case.index + 1,
      source: c.case.source,
      file: c.case.file,
      line: c.case.line,
      outcome: oneBasedOutcome(c.outcome),
      console: c.console,
      durationMs: Math.round(c.durationMs * 10) / 10,
    })),
    trace: chosen?.trace ? { case: chosen.case.index + 1, ...oneBasedTrace(chosen.trace) } : null,
    program: {
      functions: model.functions.map((fn) => ({ ...fn, loc: oneBasedRange(fn.loc) })),
      blocks: model.blocks.map((block) => ({ ...block, loc: oneBasedRange(block.loc) })),
    },
  };
}

function oneBasedTrace(trace: Trace): Trace {
  return { ...trace, outcome: oneBasedOutcome(trace.outcome) };
}

function oneBasedOutcome(outcome: Outcome): Outcome {
  if (outcome.kind !== 'error' || !outcome.loc) return outcome;
  return { ...outcome, loc: { ...outcome.loc, column: outcome.loc.column + 1 } };
}

function oneBasedRange(range: Range): Range {
  return { start: { line: range.start.line, col: range.start.col + 1 }, end: { line: range.end.line, col: range.end.col + 1 } };
}
