import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, processIO } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';
import { startFakeOpenAI, type FakeServer, type FakeStep } from '../helpers/fake-openai.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/js/', import.meta.url));
const fixed = await readFile(`${FIXTURES}off-by-one-sum.fixed.js`, 'utf8');
const VERDICTS = JSON.stringify({ verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'i < n stops one short of n' }] });

const servers: FakeServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A scratch copy of the fixture, so --write has something of its own to replace. */
async function workspace() {
  const dir = await mkdtemp(join(tmpdir(), 'ldb-fix-'));
  dirs.push(dir);
  await copyFile(`${FIXTURES}off-by-one-sum.js`, join(dir, 'sum.js'));
  await copyFile(`${FIXTURES}off-by-one-sum.test.js`, join(dir, 'sum.test.js'));
  return dir;
}

async function ldb(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { ...processIO(), stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function server(script: FakeStep[]) {
  const s = await startFakeOpenAI(script);
  servers.push(s);
  return s;
}

describe('ldb fix', () => {
  it('prints each iteration (verdicts, coloured diff) and, with --write, replaces the file keeping a backup', async () => {
    const dir = await workspace();
    const fake = await server([{ reply: VERDICTS }, { reply: `\`\`\`js\n${fixed}\`\`\`` }]);
    const file = join(dir, 'sum.js');
    const original = await readFile(file, 'utf8');
    const { code, stdout, stderr } = await ldb(
      ['fix', file, '--tests', join(dir, 'sum.test.js'), '--model', `openai-compatible:fake@${fake.url}`, '--no-cache', '--write'],
      {},
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Iteration 1: 1/4 visible tests pass');
    expect(stdout).toContain('✗ sumTo#2  i < n stops one short of n');
    expect(stdout).toContain('-  for (let i = 1; i < n; i++) {');
    expect(stdout).toContain('+  for (let i = 1; i <= n; i++) {');
    expect(stdout).toContain('Iteration 2: 4/4 visible tests pass');
    expect(stdout).toContain('Fixed: every visible test passes');
    expect(stdout).toContain(`(the original is in ${file}.orig)`);
    expect(await readFile(file, 'utf8')).toBe(fixed);
    expect(await readFile(`${file}.orig`, 'utf8')).toBe(original);
  });

  it('leaves the file untouched when the server keeps failing, with one clear error', async () => {
    const dir = await workspace();
    const fake = await server(Array.from({ length: 10 }, () => ({ status: 503 })));
    const file = join(dir, 'sum.js');
    const before = await readFile(file, 'utf8');
    const { code, stderr } = await ldb(['fix', file, '--tests', join(dir, 'sum.test.js'), '--model', `openai-compatible:fake@${fake.url}`, '--no-cache', '--write', '--retries', '1'], {});
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ldb: openai-compatible:fake@.*503 after 2 attempts/);
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['sum.js', 'sum.test.js']);
  });

  it('says what to set when the key is missing or no model is given', async () => {
    const dir = await workspace();
    const args = ['fix', join(dir, 'sum.js'), '--tests', join(dir, 'sum.test.js')];
    const missingKey = await ldb([...args, '--model', 'openai:gpt-4o-mini'], {});
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain('OPENAI_API_KEY is not set');
    const noModel = await ldb(args, {});
    expect(noModel.stderr).toContain('no model given; pass --model <spec> (e.g. openai:gpt-4o-mini) or set LDB_MODEL');
  });
});
