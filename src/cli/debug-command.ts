import type { DebugLevel } from '../debugger/result.js';
import type { CreateModelOptions } from '../llm/create.js';
import { InputError } from '../errors.js';
import type { CommandRun } from './command.js';
import { limitsFrom, modelOptionsFrom, modelSpecFrom } from './common-options.js';
import type { CliIO } from './io.js';

/**
 * `ldb debug`: the Ink UI on a terminal; otherwise (or with --no-tui) the report `ldb trace`
 * prints, with its exit codes. Before the first frame only light modules load: the tests are
 * split (Babel) and run after it, and the model stack loads on the first model key.
 */
export const runDebug: CommandRun = async (args, io) => {
  const { values, positionals } = args;
  if (values.tui === false || !io.isTTY) {
    const { runTrace } = await import('./trace-command.js');
    return runTrace(args, io);
  }
  const testsFile = values.tests as string | undefined;
  const inlineTests = (values.test as string[] | undefined) ?? [];
  if (positionals.length !== 1) {
    throw new InputError(`ldb debug: expected exactly one program file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  }
  if (!testsFile && inlineTests.length === 0) throw new InputError("ldb debug: no tests given; pass --tests <file> or --test '<assertion>'");
  if (!io.writeFile || !io.exists) throw new InputError('ldb debug: the interactive debugger needs a writable file system');
  const file = positionals[0]!;
  const caseNumber = values.case as number | undefined;
  const code = await readProgram(io, file);
  const loadCases = async () => {
    const { collectTestCases } = await import('./inputs.js');
    const cases = await collectTestCases(io, testsFile, inlineTests, true);
    if (caseNumber !== undefined && caseNumber > cases.length) {
      throw new InputError(`--case ${caseNumber} is out of range; there are ${cases.length} cases`);
    }
    return cases;
  };
  const modelOptions: CreateModelOptions = modelOptionsFrom(values, io.env, () => undefined);
  const { runDebugger } = await import('../ui/run.js');
  return runDebugger({
    file,
    code,
    loadCases,
    caseNumber,
    modelSpec: modelSpecFrom(values.model as string | undefined, io.env),
    modelOptions,
    level: (values.level as DebugLevel | undefined) ?? 'block',
    limits: limitsFrom(values),
    entryPoint: values.entry as string | undefined,
    env: io.env,
    color: values.color as boolean | undefined,
    auto: values.auto === true ? { maxIterations: (values['max-iters'] as number | undefined) ?? 10 } : undefined,
    readFile: io.readFile,
    writeFile: io.writeFile,
    exists: io.exists,
  });
};

async function readProgram(io: CliIO, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`cannot read the program file ${path}: ${reason}`);
  }
}
