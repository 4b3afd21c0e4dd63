import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../helpers/fake-openai.js';
import { BIN, fakeModel, HUMANEVALPACK, ldb, modelSpec, readRecords, scratchDir } from './helpers.js';

// The first 20 problems, minus JavaScript/10 (its buggy program never ends: slow, and tested elsewhere).
const IDS = HUMANEVALPACK.slice(0, 21).map((p) => p.id).filter((id) => id !== 'JavaScript/10');

const servers: FakeServer[] = [];
const cleanups: Array<() => Promise<void>> = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function setup() {
  // Slow answers, so the run is surely mid-way when it is stopped.
  const server = await fakeModel({ delayMs: 150 });
  servers.push(server);
  const scratch = await scratchDir();
  cleanups.push(scratch.cleanup);
  const env = { LDB_CACHE_DIR: join(scratch.dir, 'cache') };
  const args = ['bench', 'humanevalpack-js', '-m', modelSpec(server), '--ids', IDS.join(','), '-j', '2', '--max-iters', '2', '-o', join(scratch.dir, 'r.jsonl')];
  return { server, env, args, out: join(scratch.dir, 'r.jsonl') };
}

/** Starts the real CLI and resolves once the results file has at least `lines` lines. */
async function startAndWait(args: string[], env: NodeJS.ProcessEnv, out: string, lines: number) {
  // The real CLI, as a user starts it: the signal goes to the process that runs the bench.
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  for (;;) {
    const text = await readFile(out, 'utf8').catch(() => '');
    if (text.split('\n').filter(Boolean).length >= lines) break;
    if (child.exitCode !== null) throw new Error(`ldb bench ended early (${child.exitCode}): ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function expectComplete(records: Awaited<ReturnType<typeof readRecords>>) {
  const ids = records.map((r) => r.task_id);
  expect(new Set(ids).size).toBe(ids.length); // nothing written twice
  expect([...ids].sort()).toEqual([...IDS].sort()); // nothing lost
}

describe('ldb bench, stopped and resumed', () => {
  it('SIGINT stops cleanly with the summary so far; --resume finishes without losing or repeating a problem', async () => {
    const { env, args, out } = await setup();
    const run = await startAndWait(args, env, out, 4);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const { stdout, stderr } = run.output();
    expect(stderr).toContain('stopping; problems in flight are dropped');
    expect(stdout).toMatch(/Interrupted: \d+ of 20 problems have results/);
    expect(stdout).toContain('pass@1 after debugging');
    const before = await readRecords(out);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(20);
    const resumed = await ldb([...args, '--resume'], env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${before.length} already done`);
    const after = await readRecords(out);
    expect(after.slice(0, before.length)).toEqual(before);
    expectComplete(after);
  });

  it('SIGKILL (even mid-line) loses at most the line being written; --resume redoes it', async () => {
    const { env, args, out } = await setup();
    const run = await startAndWait(args, env, out, 3);
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe('SIGKILL');
    const before = await readRecords(out);
    // A kill in the middle of a write leaves half a line: make sure there is one.
    const torn = JSON.stringify(before[0]).slice(0, 80).replace(before[0]!.task_id, 'JavaScript/19');
    await appendFile(out, torn);
    const resumed = await ldb([...args, '--resume'], env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain(torn + '\n');
    expectComplete(await readRecords(out));
  });
});
