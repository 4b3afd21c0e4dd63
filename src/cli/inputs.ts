import { splitInlineTest } from '../cases/inline.js';
import { splitTests, type TestCase } from '../cases/split.js';
import { InputError } from '../errors.js';
import type { CliIO } from './io.js';

/** Reads a file the user named, turning I/O failures into one clear line. */
export async function readInput(io: CliIO, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read the ${what} file ${path}: ${reason}`);
  }
}

export function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InputError(`${flag} expects a positive whole number, got '${text}'`);
  return value;
}

export function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InputError(`${flag} expects a whole number (0 or more), got '${text}'`);
  return value;
}

/**
 * The cases of `--tests <file>` and of each `--test '<assertion>'`, numbered in that order.
 * `allowPlainCalls`: a --test without an assertion (e.g. `f(1)`) is a case that passes unless it throws.
 */
export async function collectTestCases(
  io: CliIO,
  testsFile: string | undefined,
  inlineTests: string[],
  allowPlainCalls: boolean,
): Promise<TestCase[]> {
  const cases: TestCase[] = [];
  if (testsFile) cases.push(...splitTests(await readInput(io, testsFile, 'tests'), { filename: testsFile }));
  inlineTests.forEach((assertion, i) => cases.push(...splitInlineTest(assertion, i + 1, allowPlainCalls)));
  return cases.map((c, index) => ({ ...c, index }));
}

/** Runs a command's flag parsing; a bad flag is a usage error that points at the command's help. */
export function parseCommandLine<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw usageError(command, (error as Error).message.replace(/^.*?: /, ''));
  }
}

/** Both commands take one program file and at least one test. */
export function expectProgramAndTests(command: string, positionals: string[], testsFile?: string, inlineTests?: string[]): string {
  if (positionals.length !== 1) {
    throw usageError(command, `expected exactly one program file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  }
  if (!testsFile && !inlineTests?.length) throw usageError(command, "no tests given; pass --tests <file> or --test '<assertion>'");
  return positionals[0]!;
}

function usageError(command: string, problem: string): InputError {
  return new InputError(`ldb ${command}: ${problem}\nRun 'ldb ${command} --help' for usage.`);
}
