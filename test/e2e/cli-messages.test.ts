import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, processIO } from '../../src/cli.js';
import { COMMANDS } from '../../src/cli/commands.js';
import type { CliIO } from '../../src/cli/io.js';
import { startFakeOpenAI, type FakeServer, type FakeStep } from '../helpers/fake-openai.js';

// Issue 12 item 8: what the CLI says on bad input and when `fix` gives up.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUM = 'fixtures/js/off-by-one-sum.js';
const SUM_TESTS = 'fixtures/js/off-by-one-sum.test.js';
const ECHO_MODEL = `${ROOT}test/helpers/echo-model.mjs`;
const VERDICTS = JSON.stringify({ verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'i < n stops one short of n' }] });

const servers: FakeServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function ldb(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    ...processIO(),
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (path) => readFile(path.startsWith('/') ? path : `${ROOT}${path}`, 'utf8'),
    isTTY: false,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function fake(script: FakeStep[]) {
  const server = await startFakeOpenAI(script);
  servers.push(server);
  return `openai-compatible:fake@${server.url}`;
}

describe('option values', () => {
  it('a value out of range is a usage error (exit 2) that states the range', async () => {
    const result = await ldb(['trace', SUM, '--tests', SUM_TESTS, '--memory-limit', '4']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("ldb trace: --memory-limit expects a whole number from 8 to 16384, got '4'\nRun 'ldb trace --help' for usage.\n");
    const fix = await ldb(['fix', SUM, '--tests', SUM_TESTS, '--model', 'exec:true', '--max-events', '1']);
    expect(fix.stderr).toContain("ldb fix: --max-events expects a whole number of at least 2, got '1'");
  });

  it('a negative number is not a positive whole number (not an "ambiguous argument")', async () => {
    const result = await ldb(['trace', SUM, '--tests', SUM_TESTS, '--time-limit', '-5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ldb trace: --time-limit expects a positive whole number, got '-5'");
    expect(result.stderr).not.toContain('ambiguous');
  });

  it('an unknown flag: balanced quotes, one prefix, a suggestion', async () => {
    const result = await ldb(['trace', SUM, '--tests', SUM_TESTS, '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("ldb trace: unknown option --colour (did you mean --color?)\nRun 'ldb trace --help' for usage.\n");
    const missing = await ldb(['trace', SUM, '--tests']);
    expect(missing.stderr).toMatch(/^ldb trace: --tests needs a value <file>\n/);
  });

  it('every option of every command is in its help, and only those parse', async () => {
    for (const command of COMMANDS) {
      const help = (await ldb([command.name, '--help'])).stdout;
      for (const option of command.options) expect(help).toContain(`--${option.name}`);
      expect((await ldb([command.name, '--no-such-flag'])).stderr).toContain(`ldb ${command.name}: unknown option --no-such-flag`);
    }
  });

  it('fix takes the same limits and colour switch as trace, all in its help', async () => {
    const help = (await ldb(['fix', '--help'])).stdout;
    for (const flag of ['--color, --no-color', '--memory-limit <mb>', '--max-events <n>', '--time-limit <ms>']) expect(help).toContain(flag);
    expect((await ldb(['trace', '--help'])).stdout).toContain('--color, --no-color');
  });
});

describe('errors under --json', () => {
  it('are JSON on stdout with the same exit codes', async () => {
    const usage = await ldb(['trace', SUM, '--tests', SUM_TESTS, '--memory-limit', '4', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('');
    expect(JSON.parse(usage.stdout)).toEqual({
      error: { kind: 'usage', message: "--memory-limit expects a whole number from 8 to 16384, got '4'", exitCode: 2 },
    });
    const missing = await ldb(['trace', 'nope.js', '--test', 'f()', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ kind: 'InputError', message: 'cannot read the program file nope.js: no such file' });
    const syntax = await ldb(['trace', 'test/e2e/data/syntax-error.js', '--test', 'f()', '--json']);
    const error = JSON.parse(syntax.stdout).error;
    expect(syntax.code).toBe(2);
    expect(error).toMatchObject({ kind: 'ParseError', loc: { file: 'test/e2e/data/syntax-error.js', line: 3 } });
    // 1-based like the text message's file:line:col
    expect((await ldb(['trace', 'test/e2e/data/syntax-error.js', '--test', 'f()'])).stderr).toContain(`:3:${error.loc.column}:`);
  });
});

describe('the terminal trace of a long loop', () => {
  const LOOP = ['trace', 'test/e2e/data/long-loop.js', '--test', 'assert.strictEqual(sumTo(100), 5050)'];

  it('collapses repeated iterations, and --all-steps shows them', async () => {
    const collapsed = await ldb(LOOP);
    expect(collapsed.code).toBe(1);
    expect(collapsed.stdout).toMatch(/… steps \d+-\d+ not shown: iterations 2-\d+ of \d+ of the same path sumTo#\d → sumTo#\d(; [^…]*)? …/);
    expect(collapsed.stdout).toMatch(/repeated loop steps collapsed \(--all-steps shows them\)/);
    const all = await ldb([...LOOP, '--all-steps']);
    expect(all.stdout).not.toContain('not shown');
    expect(all.stdout.split('\n').length).toBeGreaterThan(collapsed.stdout.split('\n').length * 5);
  });

  it('says exactly which steps the tracer did not record', async () => {
    const { stdout } = await ldb([...LOOP, '--max-events', '10', '--all-steps']);
    const total = Number(/(\d+) steps, (\d+) not recorded/.exec(stdout)?.[1]);
    const dropped = Number(/(\d+) steps, (\d+) not recorded/.exec(stdout)?.[2]);
    expect(total).toBe(dropped + 10);
    expect(stdout).toContain(`… steps 3-${2 + dropped} (${dropped}) were not recorded: the trace keeps the first 2 and the last 8 steps of a long run …`);
    expect(stdout).toMatch(new RegExp(`#2 .*\\n[^#]*… steps 3-`));
    expect(stdout).toContain(`#${3 + dropped} `);
  });
});

describe('ldb fix', () => {
  it('checks --entry before any model call, with the same "did you mean" as trace', async () => {
    const model = await fake([]);
    const fixed = await ldb(['fix', SUM, '--tests', SUM_TESTS, '--model', model, '--no-cache', '--entry', 'sumto']);
    const traced = await ldb(['trace', SUM, '--tests', SUM_TESTS, '--entry', 'sumto']);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain("the entry point 'sumto' is not defined");
    expect(fixed.stderr).toContain("(did you mean 'sumTo'?)");
    expect(fixed.stderr).toBe(traced.stderr);
    expect(servers[0]!.requests).toHaveLength(0);
  });

  it('says why it gave up, and what the verdicts were, in plain words', async () => {
    const model = await fake([{ reply: 'not json' }, { reply: 'still not json' }, { reply: 'no code' }, { reply: 'none either' }]);
    const { code, stdout } = await ldb(['fix', SUM, '--tests', SUM_TESTS, '--model', model, '--no-cache']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/no usable verdicts: the reply still did not parse/);
    expect(stdout).not.toContain('verdicts verdicts');
    expect(stdout).toContain('Not fixed (the model gave no usable program)');
    expect(stdout).toMatch(/\n {2}why: the fix was still unusable \(.+\); stopping\n/);
  });

  it('labels the test of the last patch as such, not as one more iteration', async () => {
    const source = await readFile(`${ROOT}${SUM}`, 'utf8');
    const stillWrong = source.replace('i < n', 'i <= n - 1');
    const model = await fake([{ reply: VERDICTS }, { reply: `\`\`\`js\n${stillWrong}\`\`\`` }]);
    const { code, stdout } = await ldb(['fix', SUM, '--tests', SUM_TESTS, '--model', model, '--no-cache', '--max-iters', '1']);
    expect(code).toBe(1);
    expect(stdout).toContain('Iteration 1: 1/4 visible tests pass');
    expect(stdout).toContain('Patch of iteration 1: 1/4 visible tests pass');
    expect(stdout).not.toContain('Iteration 2');
  });

  it("keeps an exec model's cost unknown when its replies come from the cache", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ldb-cache-'));
    dirs.push(cacheDir);
    const argv = ['fix', SUM, '--tests', SUM_TESTS, '--model', `exec:node ${ECHO_MODEL} reply ${JSON.stringify(VERDICTS)}`];
    const first = await ldb(argv, { LDB_CACHE_DIR: cacheDir, PATH: process.env.PATH });
    const second = await ldb(argv, { LDB_CACHE_DIR: cacheDir, PATH: process.env.PATH });
    expect(first.stdout).toMatch(/model calls \(0 from cache\).*cost unknown/);
    expect(second.stdout).toMatch(/model calls \((\d+) from cache\).*cost unknown/);
    expect(second.stdout).not.toContain('$0.0000');
  });
});
