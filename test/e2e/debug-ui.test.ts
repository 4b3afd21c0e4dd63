import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, processIO } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { KEY, PtyScreen } from './pty-screen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/ldb.js');
const fixed = await readFile(join(ROOT, 'fixtures/js/off-by-one-sum.fixed.js'), 'utf8');
const VERDICTS = JSON.stringify({ verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'i < n stops one short of n' }] });

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ldb-debug-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [from, to] of Object.entries(files)) await copyFile(join(ROOT, from), join(dir, to));
  return dir;
}

function open(args: string[], dir: string, size = { cols: 100, rows: 30 }, env: NodeJS.ProcessEnv = {}): PtyScreen {
  const screen = new PtyScreen(['--no-node-snapshot', BIN, 'debug', ...args], {
    ...size,
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, LDB_CACHE_DIR: join(dir, 'cache'), NO_COLOR: '1', ...env },
  });
  cleanups.push(() => screen.kill());
  return screen;
}

describe('ldb debug in a terminal', () => {
  it('steps, searches, breaks, verifies, fixes, accepts: the file is rewritten and the tests pass', async () => {
    const dir = await workspace({ 'fixtures/js/off-by-one-sum.js': 'sum.js', 'fixtures/js/off-by-one-sum.test.js': 'sum.test.js' });
    const fake = await startFakeOpenAI([{ reply: VERDICTS }, { reply: `\`\`\`js\n${fixed}\`\`\`` }]);
    cleanups.push(() => fake.close());
    const screen = open(['sum.js', '--tests', 'sum.test.js', '--model', `openai-compatible:fake@${fake.url}`], dir);

    // Opens on the first failing case, at the step where it failed (the value it returned).
    let text = await screen.waitFor('step 8/8');
    expect(text).toContain('• ✗ 2 assert.strictEqual(sumTo(3), 6);  failed: expected 6, got 3');
    expect(text).toContain('returns 3');
    screen.press('g');
    await screen.waitFor('step 1/8');
    screen.press('n' + KEY.right);
    text = await screen.waitFor('step 3/8');
    expect(text).toMatch(/▶\s+10 sumTo#2\s+for \(let i = 1; i < n; i\+\+\)/);
    expect(text).toMatch(/\*i: 1/);

    // Search by value, evaluated in the sandbox.
    screen.press('/total > 2' + KEY.enter);
    text = await screen.waitFor('/total > 2: step 6');
    expect(text).toMatch(/\*total: 3 ← 1/);

    // A breakpoint on the loop body; continue goes from visit to visit of it.
    screen.press('b');
    await screen.waitFor('breakpoint on line 11');
    screen.press('gc');
    await screen.waitFor('step 4/8');
    screen.press('c');
    text = await screen.waitFor('step 6/8');
    expect(text).toMatch(/●\s*11 sumTo#3/);

    // The model: verdicts on the source, then a fix shown as a diff, accepted.
    screen.press('v');
    text = await screen.waitFor('1 wrong of 1 judged');
    expect(text).toMatch(/✗\s*10 sumTo#2/);
    screen.press('f');
    text = await screen.waitFor('+  for (let i = 1; i <= n; i++) {');
    expect(text).toContain('-  for (let i = 1; i < n; i++) {');
    screen.press('a');
    text = await screen.waitFor(/wrote sum\.js \(original in sum\.js\.orig\); 4 of 4 tests pass/);
    expect(await readFile(join(dir, 'sum.js'), 'utf8')).toBe(fixed);
    expect(await readFile(join(dir, 'sum.js.orig'), 'utf8')).toBe(await readFile(join(ROOT, 'fixtures/js/off-by-one-sum.js'), 'utf8'));
    expect(fake.requests).toHaveLength(2);

    screen.press('q');
    expect(await screen.exited).toBe(0);
    expect(screen.raw).toContain('\u001b[?1049h');
    expect(screen.raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(screen.raw.lastIndexOf('\u001b[?1049h'));

    // The same tests, run by the CLI on the rewritten file, now pass.
    const io: CliIO = { ...processIO(), stdout: () => undefined, stderr: () => undefined, isTTY: false, env: {} };
    expect(await main(['trace', join(dir, 'sum.js'), '--tests', join(dir, 'sum.test.js')], io)).toBe(0);
  });

  it('steps into the middle of a run of 1.2 million steps, beyond the kept ones, with the right values', async () => {
    const dir = await workspace({ 'fixtures/long/mean-long.js': 'mean.js', 'fixtures/long/mean-long.test.js': 'mean.test.js' });
    const screen = open(['mean.js', '--tests', 'mean.test.js'], dir, { cols: 80, rows: 24 });
    await screen.waitFor('step 1200004/1200004');
    screen.press(':600001' + KEY.enter);
    // Step 600001 is the loop test with i = 299999, after total = 0 + 1 + ... + 299998.
    let text = await screen.waitFor(/i: 299999/);
    expect(text).toContain('step 600001/1200004');
    expect(text).toMatch(/\btotal: 44999550001\b/);
    screen.press('n');
    text = await screen.waitFor('step 600002/1200004');
    expect(text).toMatch(/\*total: 44999850000 ←/);
    // Resizing keeps the layout whole.
    screen.resize(120, 40);
    text = await screen.waitFor(/── Tests ─{60,}/);
    expect(text).toContain('step 600002/1200004');
    screen.press(KEY.ctrlC);
    expect(await screen.exited).toBe(0);
    expect(screen.raw.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(screen.raw.lastIndexOf('\u001b[?1049h'));
  });

  it('--auto runs the debug loop live: the iterations show, it ends solved, a writes the best program', async () => {
    const dir = await workspace({ 'fixtures/js/off-by-one-sum.js': 'sum.js', 'fixtures/js/off-by-one-sum.test.js': 'sum.test.js' });
    const fake = await startFakeOpenAI([{ reply: VERDICTS }, { reply: `\`\`\`js\n${fixed}\`\`\`` }]);
    cleanups.push(() => fake.close());
    const screen = open(['sum.js', '--tests', 'sum.test.js', '--auto', '--model', `openai-compatible:fake@${fake.url}`], dir, { cols: 160, rows: 30 });

    // The end: solved on the second iteration, the best program offered as a diff, the file untouched.
    await screen.waitFor(/auto: solved after 2 iterations; the best program passes 4 of 4; a writes it/);
    let text = await screen.waitFor(/✓ step \d+\/\d+ │ case 1 │/);
    expect(text).toContain('+  for (let i = 1; i <= n; i++) {');
    expect(text).toMatch(/iter 2 /);
    expect(text).toMatch(/✓ 1 .*\n.*✓ 2 .*\n.*✓ 3 /);
    expect(text).not.toContain('Esc cancels');
    expect(fake.requests).toHaveLength(2);
    expect(await readFile(join(dir, 'sum.js'), 'utf8')).not.toBe(fixed);
    // On the way, the first iteration's failing run was on screen, then its verdicts.
    expect(screen.raw).toContain('auto: iteration 1: 1 of 4 tests pass');
    expect(screen.raw).toContain('auto: iteration 1: 1 wrong of 1 judged (sumTo#2); asking for a fix');
    expect(screen.raw).toMatch(/debugging \(auto\) \(Esc cancels\) │ step 8\/8 │ case 2 │ block │ openai-compatible:fake@\S+ {2}iter 1 /);

    screen.press('a');
    text = await screen.waitFor(/wrote sum\.js \(original in sum\.js\.orig\); 4 of 4 tests pass/);
    expect(await readFile(join(dir, 'sum.js'), 'utf8')).toBe(fixed);
    screen.press('q');
    expect(await screen.exited).toBe(0);
  });

  it('Esc cancels a model request in flight: the spinner stops, "cancelled" shows, nothing else changes', async () => {
    const dir = await workspace({ 'fixtures/js/off-by-one-sum.js': 'sum.js', 'fixtures/js/off-by-one-sum.test.js': 'sum.test.js' });
    const fake = await startFakeOpenAI([{ hang: true }]);
    cleanups.push(() => fake.close());
    const screen = open(['sum.js', '--tests', 'sum.test.js', '--model', `openai-compatible:fake@${fake.url}`], dir);
    const before = await screen.waitFor('step 8/8');
    screen.press('v');
    await screen.waitFor('verifying (Esc cancels)');
    screen.press(KEY.escape);
    const text = await screen.waitFor(/^cancelled\s*$/m);
    expect(text).not.toContain('Esc cancels');
    expect(text).toContain('step 8/8');
    expect(text).not.toMatch(/[✓✗]\s*\d+ sumTo#/);
    // The screen is the one before the request but for the message line.
    const body = (screen: string) => screen.split('\n').slice(0, -2).join('\n');
    expect(body(text)).toBe(body(before));
    expect(fake.requests).toHaveLength(1);
    screen.press('q');
    expect(await screen.exited).toBe(0);
  });

  it('without a model, the model keys say how to configure one', async () => {
    const dir = await workspace({ 'fixtures/js/off-by-one-sum.js': 'sum.js', 'fixtures/js/off-by-one-sum.test.js': 'sum.test.js' });
    const screen = open(['sum.js', '--tests', 'sum.test.js'], dir);
    await screen.waitFor('step 8/8');
    screen.press('v');
    await screen.waitFor('no model configured: pass --model <spec>');
    screen.press('q');
    expect(await screen.exited).toBe(0);
  });
});

describe('ldb debug without a terminal', () => {
  it('prints the report of ldb trace, with its exit code', async () => {
    let stdout = '';
    const io: CliIO = { ...processIO(), stdout: (t) => void (stdout += t), stderr: () => undefined, isTTY: false, env: {} };
    const args = [join(ROOT, 'fixtures/js/off-by-one-sum.js'), '--tests', join(ROOT, 'fixtures/js/off-by-one-sum.test.js')];
    expect(await main(['debug', ...args], io)).toBe(1);
    const debugOut = stdout;
    stdout = '';
    await main(['trace', ...args], io);
    expect(debugOut).toBe(stdout.replace(/^ldb trace/, 'ldb trace'));
    expect(debugOut).toContain('Trace of case 2');
  });
});
