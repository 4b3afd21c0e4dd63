import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { createModel } from '../../src/llm/create.js';
import { flattenMessages } from '../../src/llm/exec.js';
import type { ChatMessage } from '../../src/llm/model.js';

const ECHO_MODEL = fileURLToPath(new URL('../helpers/echo-model.mjs', import.meta.url));
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a debugger.' },
  { role: 'user', content: 'Is block f#1 correct?' },
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldb-exec-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function execModel(args: string, options: { timeoutMs?: number } = {}) {
  return createModel(`exec:node ${ECHO_MODEL} ${args}`, { env: {}, cache: false, ...options });
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) return existsSync(stat) && !/\) Z /.test(readFileSync(stat, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('exec:<command>', () => {
  it('takes stdout as the reply, with tokens estimated and no cost', async () => {
    const completion = await execModel("reply 'the loop bound is off by one'").complete({ messages: MESSAGES });
    expect(completion).toEqual({
      text: 'the loop bound is off by one',
      model: `node ${ECHO_MODEL} reply 'the loop bound is off by one'`,
      usage: { promptTokens: Math.ceil(flattenMessages(MESSAGES).length / 4), completionTokens: 7, costUsd: null, cached: false },
    });
  });

  it('writes the flattened messages to stdin', async () => {
    const completion = await execModel('echo').complete({ messages: MESSAGES });
    expect(completion.text).toBe('### system\nYou are a debugger.\n\n### user\nIs block f#1 correct?');
  });

  it('passes the request parameters in the environment', async () => {
    const completion = await execModel('env').complete({ messages: MESSAGES, temperature: 0.2, maxTokens: 99, responseFormat: 'json' });
    expect(JSON.parse(completion.text)).toEqual({ temperature: '0.2', maxTokens: '99', responseFormat: 'json' });
  });

  it('reports a failing command with the tail of its stderr', async () => {
    const error = await failure(execModel('fail 3').complete({ messages: MESSAGES }));
    expect(error.message).toBe(`exec:node ${ECHO_MODEL} fail 3: the command failed (exit code 3): loading model... | error: the model file is missing`);
    expect(error.code).toBe('exec');
  });

  it('says so when the command does not exist', async () => {
    const model = createModel('exec:ldb-no-such-command-xyz', { env: {}, cache: false });
    const error = await failure(model.complete({ messages: MESSAGES }));
    expect(error.message).toMatch(/^exec:ldb-no-such-command-xyz: the command failed \(exit code 127: command not found\): .*not found/);
  });

  // The shell starts `sleep` in the background and records its pid: the kill must reach the whole process group.
  const hangingCommand = (pidFile: string): string => `exec:sleep 30 & echo $! > '${pidFile}'; wait`;

  it('kills a command (and what it started) that outlives the timeout', async () => {
    const pidFile = join(dir, 'pid');
    const model = createModel(hangingCommand(pidFile), { env: {}, cache: false, timeoutMs: 1000 });
    const error = await failure(model.complete({ messages: MESSAGES }));
    expect(error.message).toMatch(/: no reply within 1 s, so the command was stopped: raise the timeout or check the command$/);
    expect(error.code).toBe('timeout');
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(await eventually(() => !isRunning(pid))).toBe(true);
  });

  it('kills the command at once when the signal aborts', async () => {
    const pidFile = join(dir, 'pid');
    const controller = new AbortController();
    const model = createModel(hangingCommand(pidFile), { env: {}, cache: false });
    const pending = model.complete({ messages: MESSAGES, signal: controller.signal });
    expect(await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000)).toBe(true);
    controller.abort();
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'aborted', name: 'AbortError' });
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(await eventually(() => !isRunning(pid))).toBe(true);
  });

  it('caches command replies like any other model', async () => {
    const model = createModel(`exec:node ${ECHO_MODEL} echo`, { env: {}, cacheDir: join(dir, 'cache') });
    await model.complete({ messages: MESSAGES });
    const again = await model.complete({ messages: MESSAGES });
    expect(again.usage).toMatchObject({ cached: true, costUsd: 0 });
  });
});
