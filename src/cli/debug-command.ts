import { parseArgs } from 'node:util';
import type { DebugLevel } from '../debugger/result.js';
import { InputError } from '../errors.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { CliIO } from './io.js';

export const DEBUG_HELP = `ldb debug: step through a test's recorded run in a full-screen terminal UI

Usage:
  ldb debug <file> --tests <file> [--test '<assertion>'] [options]

Options:
  --tests <file>         test script: one case per assertion
  --test '<assertion>'   one more case (repeatable)
  --case <n>             open case n (default: the first failing one)
  -m, --model <spec>     model for v (verify), f (fix) and --auto (default: $LDB_MODEL)
  --level <level>        line, block (default) or function
  --auto                 run the whole debug loop live (needs a model)
  --max-iters <n>        iterations of --auto (default 10)
  --no-tui               print the report of 'ldb trace' instead (also when stdout is not a terminal)
  --time-limit <ms>      per case (default 3000)
  --max-events <n>       steps kept per trace; the rest is re-run on demand (default 1000)
  --entry <name>         the function the tests call
  --no-color             no colours (also NO_COLOR)
  -h, --help             this help

Keys: n/→ next, p/← previous, N/P next/previous visit of the block, g/G first/last,
e failure, b breakpoint, c/C continue forward/back, / search (Tab: backward),
t tests, l level, v verify, f fix, a accept, r reject, x expand, ? help, q quit.
`;

interface DebugArgs {
  file: string;
  testsFile?: string;
  inlineTests: string[];
  caseNumber?: number;
  model?: string;
  level: DebugLevel;
  auto: boolean;
  maxIterations: number;
  tui: boolean;
  color?: boolean;
  limits: LimitsInput;
  entryPoint?: string;
  /** The flags `ldb trace` understands, for the report printed without a terminal. */
  traceArgv: string[];
}

/** `ldb debug`: the Ink UI on a terminal; otherwise the report `ldb trace` prints, with its exit codes. */
export async function debugCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseDebugArgs(argv);
  if (args === 'help') {
    io.stdout(DEBUG_HELP);
    return 0;
  }
  if (!args.tui || !io.isTTY) {
    const { traceCommand } = await import('./trace-command.js');
    return traceCommand(args.traceArgv, io);
  }
  if (!io.writeFile || !io.exists) throw new InputError('ldb debug: the interactive debugger needs a writable file system');
  const code = await readProgram(io, args.file);
  // Splitting the tests needs Babel: it happens after the first frame is on the screen.
  const loadCases = async () => {
    const { collectTestCases } = await import('./inputs.js');
    const cases = await collectTestCases(io, args.testsFile, args.inlineTests, true);
    if (args.caseNumber !== undefined && args.caseNumber > cases.length) {
      throw new InputError(`--case ${args.caseNumber} is out of range; there are ${cases.length} cases`);
    }
    return cases;
  };
  const { runDebugger } = await import('../ui/run.js');
  return runDebugger({
    file: args.file,
    code,
    loadCases,
    caseNumber: args.caseNumber,
    modelSpec: args.model,
    level: args.level,
    limits: args.limits,
    entryPoint: args.entryPoint,
    env: io.env,
    color: args.color,
    auto: args.auto ? { maxIterations: args.maxIterations } : undefined,
    readFile: io.readFile,
    writeFile: io.writeFile,
    exists: io.exists,
  });
}

/**
 * The flags, parsed here with no module that the first frame does not need (the shared helpers
 * of the other commands load Babel to split tests).
 */
function parseDebugArgs(argv: string[]): DebugArgs | 'help' {
  const { values, positionals } = usage(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tests: { type: 'string' },
        test: { type: 'string', multiple: true },
        case: { type: 'string' },
        model: { type: 'string', short: 'm' },
        level: { type: 'string' },
        auto: { type: 'boolean' },
        'max-iters': { type: 'string' },
        'no-tui': { type: 'boolean' },
        'time-limit': { type: 'string' },
        'max-events': { type: 'string' },
        entry: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return 'help';
  if (positionals.length !== 1) usage(`expected exactly one program file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  if (!values.tests && !values.test?.length) usage("no tests given; pass --tests <file> or --test '<assertion>'");
  const file = positionals[0]!;
  const level = values.level ?? 'block';
  if (level !== 'line' && level !== 'block' && level !== 'function') {
    throw new InputError(`ldb debug: --level must be line, block or function, got '${level}'`);
  }
  const traceArgv = [file];
  if (values.tests) traceArgv.push('--tests', values.tests);
  for (const test of values.test ?? []) traceArgv.push('--test', test);
  for (const flag of ['case', 'time-limit', 'max-events', 'entry'] as const) {
    if (values[flag] !== undefined) traceArgv.push(`--${flag}`, values[flag]);
  }
  if (values['no-color']) traceArgv.push('--no-color');
  return {
    file,
    testsFile: values.tests,
    inlineTests: values.test ?? [],
    caseNumber: values.case !== undefined ? positive(values.case, '--case') : undefined,
    model: values.model,
    level,
    auto: values.auto === true,
    maxIterations: values['max-iters'] !== undefined ? positive(values['max-iters'], '--max-iters') : 10,
    tui: values['no-tui'] !== true,
    color: values['no-color'] ? false : undefined,
    entryPoint: values.entry,
    traceArgv,
    limits: {
      timeMs: values['time-limit'] !== undefined ? positive(values['time-limit'], '--time-limit') : undefined,
      maxEvents: values['max-events'] !== undefined ? positive(values['max-events'], '--max-events') : undefined,
    },
  };
}

function usage<T>(problem: string | (() => T)): T {
  if (typeof problem === 'function') {
    try {
      return problem();
    } catch (error) {
      return usage((error as Error).message.replace(/^.*?: /, ''));
    }
  }
  throw new InputError(`ldb debug: ${problem}\nRun 'ldb debug --help' for usage.`);
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InputError(`${flag} expects a positive whole number, got '${text}'`);
  return value;
}

async function readProgram(io: CliIO, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`cannot read the program file ${path}: ${reason}`);
  }
}
