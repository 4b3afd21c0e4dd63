import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectTestCases, expectProgramAndTests, readInput } from '../../src/cli/inputs.js';
import type { CliIO } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/options.js';
import { InputError } from '../../src/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldb-inputs-'));
  await writeFile(join(dir, 'sum.test.js'), 'assert.strictEqual(sumTo(1), 1);\nassert.strictEqual(sumTo(2), 3);\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const io: CliIO = { stdout: () => undefined, stderr: () => undefined, readFile: (path) => readFile(path, 'utf8'), isTTY: false, env: {} };

describe('readInput', () => {
  it('reads a file', async () => {
    expect(await readInput(io, join(dir, 'sum.test.js'), 'tests')).toContain('sumTo(2)');
  });

  it('says in one line why a file cannot be read', async () => {
    await expect(readInput(io, join(dir, 'nope.js'), 'program')).rejects.toThrow(
      new InputError(`cannot read the program file ${join(dir, 'nope.js')}: no such file`),
    );
    await expect(readInput(io, dir, 'tests')).rejects.toThrow(`cannot read the tests file ${dir}: it is a directory`);
  });
});

describe('collectTestCases', () => {
  it('numbers the cases of --tests first, then each --test, in order', async () => {
    const cases = await collectTestCases(io, join(dir, 'sum.test.js'), ['assert.strictEqual(sumTo(3), 6)'], false);
    expect(cases.map((c) => [c.index, c.source])).toEqual([
      [0, 'assert.strictEqual(sumTo(1), 1);'],
      [1, 'assert.strictEqual(sumTo(2), 3);'],
      [2, 'assert.strictEqual(sumTo(3), 6)'],
    ]);
    expect(cases[2]!.file).toBe('--test #1');
  });

  it('accepts a plain call as a --test only when asked to', async () => {
    expect(await collectTestCases(io, undefined, ['sumTo(3)'], true)).toHaveLength(1);
    await expect(collectTestCases(io, undefined, ['sumTo(3)'], false)).rejects.toBeInstanceOf(InputError);
  });
});

describe('expectProgramAndTests', () => {
  it('returns the one program file', () => {
    expect(expectProgramAndTests('trace', ['sum.js'], 'sum.test.js')).toBe('sum.js');
    expect(expectProgramAndTests('trace', ['sum.js'], undefined, ['assert(f())'])).toBe('sum.js');
  });

  it('is a usage error without exactly one file or without tests', () => {
    expect(() => expectProgramAndTests('trace', [], 't.js')).toThrow(new UsageError('trace', 'expected exactly one program file, got none'));
    expect(() => expectProgramAndTests('fix', ['a.js', 'b.js'], 't.js')).toThrow('expected exactly one program file, got a.js b.js');
    expect(() => expectProgramAndTests('trace', ['a.js'])).toThrow("no tests given; pass --tests <file> or --test '<assertion>'");
  });
});
