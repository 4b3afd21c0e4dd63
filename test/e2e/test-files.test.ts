import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The test-file shapes people write (vitest, @jest/globals, node:test, TypeScript), through the
// built CLI as a child process: each lists its tests by title and traces the failing one, pointing
// at the assertion that failed.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}bin/ldb.js`;

async function ldb(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ldb trace on test files of vitest, Jest, node:test and TypeScript', () => {
  it.each([
    ['js/cart-quantity', 'js', '✗  3  cart > total > with quantities', 'failed: expected 750, got 450 at fixtures/js/cart-quantity.test.js:24:'],
    ['js/longest-word', 'js', '✗  4  longestWord > keeps the first on ties', "failed: expected not 'dog', got 'dog' at fixtures/js/longest-word.test.js:21:"],
    ['js/median-even', 'js', '✗  2  median > of an even count', 'failed: expected 2.5, got 3.5 at fixtures/js/median-even.test.js:16:'],
    ['ts/shape-perimeter', 'ts', '✗  4  perimeter > of a rectangle', 'failed: expected 10, got 5 at fixtures/ts/shape-perimeter.test.ts:27:'],
  ])('%s', async (name, extension, listed, failure) => {
    const { code, stdout, stderr } = await ldb('trace', `fixtures/${name}.${extension}`, '--tests', `fixtures/${name}.test.${extension}`);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain(listed);
    expect(stdout).toContain(`Trace of case ${listed.split(/\s+/)[1]}: ${listed.replace(/^✗\s+\d+\s+/, '')}`);
    expect(stdout).toContain(failure);
  });

  it('refuses a --test that asserts nothing or names a file, with the flag it meant', async () => {
    const check = await ldb('trace', 'fixtures/js/off-by-one-sum.js', '--test', 'sumTo(3) == 7');
    expect(check.code).toBe(2);
    expect(check.stderr).toContain("did you mean --test 'assert(sumTo(3) == 7)'?");
    const file = await ldb('trace', 'fixtures/js/off-by-one-sum.js', '--test', 'loop.test.js');
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('did you mean --tests loop.test.js?');
  });
});
