import type { TestCase } from '../cases/split.js';
import { InputError } from '../errors.js';
import type { CliIO } from './io.js';
import { UsageError } from './options.js';

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
  const [{ splitTests }, { splitInlineTest }] = await Promise.all([import('../cases/split.js'), import('../cases/inline.js')]);
  const cases: TestCase[] = [];
  if (testsFile) cases.push(...splitTests(await readInput(io, testsFile, 'tests'), { filename: testsFile }));
  inlineTests.forEach((assertion, i) => cases.push(...splitInlineTest(assertion, i + 1, allowPlainCalls)));
  return cases.map((c, index) => ({ ...c, index }));
}

/** Both commands take one program file and at least one test. */
export function expectProgramAndTests(command: string, positionals: string[], testsFile?: string, inlineTests?: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(command, `expected exactly one program file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  }
  if (!testsFile && !inlineTests?.length) throw new UsageError(command, "no tests given; pass --tests <file> or --test '<assertion>'");
  return positionals[0]!;
}
