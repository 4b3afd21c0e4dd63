import { parseArgs } from 'node:util';
import { runTests, type CaseResult, type TestRun } from '../api.js';
import { InputError } from '../errors.js';
import { parseProgram } from '../program/program.js';
import type { ProgramModel } from '../program/model.js';
import type { LimitsInput } from '../sandbox/limits.js';
import { formatCaseList, formatTrace } from './format-trace.js';
import { TRACE_HELP } from './help.js';
import type { CliIO } from './io.js';
import { createStyle, wantsColor } from './style.js';
import { collectTestCases, expectProgramAndTests, parseCommandLine, readInput, positiveInteger } from './inputs.js';

interface TraceArgs {
  file: string;
  testsFile?: string;
  inlineTests: string[];
  caseNumber?: number;
  json: boolean;
  color?: boolean;
  limits: LimitsInput;
  entryPoint?: string;
}

export async function traceCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseTraceArgs(argv);
  if (args === 'help') {
    io.stdout(TRACE_HELP);
    return 0;
  }
  const code = await readInput(io, args.file, 'program');
  const model = parseProgram(code, { filename: args.file });
  const cases = await collectTestCases(io, args.testsFile, args.inlineTests, true);
  const run = await runTests({ code, filename: args.file, tests: cases, trace: true, limits: args.limits, entryPoint: args.entryPoint });
  const chosen = chooseCase(run, args.caseNumber);
  if (args.json) io.stdout(`${JSON.stringify(jsonReport(args, model, run, chosen), null, 2)}\n`);
  else printReport(io, args, code, model, run, chosen);
  return run.failed > 0 ? 1 : 0;
}

function parseTraceArgs(argv: string[]): TraceArgs | 'help' {
  const { values, positionals } = parseCommandLine('trace', () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tests: { type: 'string' },
        test: { type: 'string', multiple: true },
        case: { type: 'string' },
        json: { type: 'boolean' },
        'time-limit': { type: 'string' },
        'memory-limit': { type: 'string' },
        'max-events': { type: 'string' },
        entry: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return 'help';
  const file = expectProgramAndTests('trace', positionals, values.tests, values.test);
  return {
    file,
    testsFile: values.tests,
    inlineTests: values.test ?? [],
    caseNumber: values.case !== undefined ? positiveInteger(values.case, '--case') : undefined,
    json: values.json === true,
    entryPoint: values.entry,
    color: values['no-color'] ? false : values.color,
    limits: {
      timeMs: values['time-limit'] !== undefined ? positiveInteger(values['time-limit'], '--time-limit') : undefined,
      memoryMb: values['memory-limit'] !== undefined ? positiveInteger(values['memory-limit'], '--memory-limit') : undefined,
      maxEvents: values['max-events'] !== undefined ? positiveInteger(values['max-events'], '--max-events') : undefined,
    },
  };
}

function chooseCase(run: TestRun, caseNumber: number | undefined): CaseResult | undefined {
  if (caseNumber !== undefined) {
    const chosen = run.cases[caseNumber - 1];
    if (!chosen) throw new InputError(`ldb trace: --case ${caseNumber} is out of range; there are ${run.cases.length} cases`);
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
    out.push(...formatTrace({ trace: chosen.trace, blocks: model.blocks, source: code, caseNumber: chosen.case.index + 1, title: chosen.case.name }, style));
  } else {
    out.push(style.pass('Every case passed; use --case <n> to see the trace of one.'));
  }
  io.stdout(`${out.join('\n')}\n`);
}

function jsonReport(args: TraceArgs, model: ProgramModel, run: TestRun, chosen: CaseResult | undefined) {
  return {
    file: args.file,
    passed: run.passed,
    failed: run.failed,
    cases: run.cases.map((c) => ({
      index: c.case.index,
      source: c.case.source,
      file: c.case.file,
      line: c.case.line,
      outcome: c.outcome,
      console: c.console,
      durationMs: Math.round(c.durationMs * 10) / 10,
    })),
    trace: chosen?.trace ? { case: chosen.case.index, ...chosen.trace } : null,
    program: { functions: model.functions, blocks: model.blocks },
  };
}
