import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { SandboxError } from '../errors.js';
import { bootstrapSource } from './bootstrap.js';
import { sandboxServer, type ChildMessage, type ParentMessage, type RunRequest, type RunResponse, type ServerStats } from './server.js';

/** Extra time the parent gives a run (setup, reading the trace) before it kills the server. */
const GRACE_MS = 5000;
/** Idle servers kept for the next Sandbox; each is a node process of about 50 MB. */
const MAX_IDLE = 2;

export type RunResult = RunResponse & { checkpoint: string | null };

interface PendingRun {
  resolve(response: RunResult): void;
  checkpoint: string | null;
  /** Armed when the run becomes the server's current one (runs of a batch go one at a time). */
  timer: NodeJS.Timeout | undefined;
  started: number;
  timeMs: number;
}

let serverSource: string | undefined;
const idle: SandboxProcess[] = [];
let spawned = 0;

/** How many server processes this process started, and how many are alive. */
export function processCounts(): { spawned: number; alive: number; idle: number } {
  return { spawned, alive: SandboxProcess.alive, idle: idle.length };
}

/**
 * One sandbox server (see server.ts): a child node process that hosts the isolates and runs the
 * cases the parent sends, one at a time. If it dies (a fatal out-of-memory in V8, a kill after
 * a run overran its limit) the run in flight ends as `memory` or `timeout` with the last trace
 * checkpoint it sent, and the next Sandbox run starts a new server.
 */
export class SandboxProcess {
  static alive = 0;
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private readonly pending = new Map<number, PendingRun>();
  /** Ids of the pending runs in the order the server runs them: the first is running. */
  private order: number[] = [];
  private readonly statsWaiting = new Map<number, (stats: ServerStats | null) => void>();
  private nextId = 1;
  private stderrTail = '';
  private fatal: string | undefined;
  private killedForTime = false;
  /** Killed on purpose after a run whose isolate may hold a thread: the runs after it never ran here. */
  private retired = false;
  /** Callers waiting for the server to be ready. */
  private starting = 0;
  private exited = false;
  private killed = false;

  /** Exited, or being killed: no run may be sent to it any more. */
  get dead(): boolean {
    return this.exited || this.killed;
  }

  private constructor() {
    serverSource ??= `(${sandboxServer.toString()})(${JSON.stringify(createRequire(import.meta.url).resolve('isolated-vm'))});`;
    this.child = spawn(process.execPath, ['--no-node-snapshot', '-e', serverSource], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: minimalEnv(),
      serialization: 'json',
    });
    spawned++;
    SandboxProcess.alive++;
    let markReady: () => void = () => undefined;
    let markFailed: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    this.ready.catch(() => undefined);
    (this.child.stderr as Readable).setEncoding('utf8');
    (this.child.stderr as Readable).on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    this.child.on('message', (message: ChildMessage) => {
      switch (message.t) {
        case 'ready':
          markReady();
          break;
        case 'checkpoint': {
          const run = this.pending.get(message.id);
          if (run) run.checkpoint = message.json;
          break;
        }
        case 'result':
          this.settle(message.id, message.res);
          break;
        case 'stats':
          this.statsWaiting.get(message.id)?.(message.stats);
          this.statsWaiting.delete(message.id);
          break;
        case 'fatal':
          this.fatal = message.message;
          this.kill();
          break;
      }
    });
    this.child.on('error', (error) => {
      markFailed(new SandboxError(`could not start the sandbox process: ${error.message}`));
      this.onExit();
    });
    this.child.on('exit', () => {
      markFailed(new SandboxError(`the sandbox process exited before it was ready${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ''}`));
      this.onExit();
    });
    this.post({ t: 'init', bootstrap: bootstrapSource() });
    this.updateRef();
  }

  /** An idle server if there is one, else a new one. */
  static acquire(): SandboxProcess {
    for (let server = idle.pop(); server; server = idle.pop()) {
      if (!server.dead) return server;
    }
    return new SandboxProcess();
  }

  /**
   * Starts a server ahead of need, so that node and isolated-vm load in that process while this
   * one loads Babel; the next Sandbox takes it. It waits unref'd: it never keeps this process alive.
   */
  static prewarm(): void {
    if (idle.some((server) => !server.dead)) return;
    idle.push(new SandboxProcess());
  }

  /** Gives a server back: its isolate is disposed, and it waits (unref'd) for the next Sandbox. */
  release(): void {
    if (this.dead) return;
    if (this.pending.size > 0 || idle.length >= MAX_IDLE) {
      this.kill();
      return;
    }
    this.post({ t: 'reset' });
    idle.push(this);
    this.updateRef();
  }

  async run(req: RunRequest): Promise<RunResult> {
    const [result] = await this.runMany([req]);
    return result!;
  }

  /**
   * Sends the runs of one program in one message; each promise settles as its result streams
   * back. (One message per case cost about 1.8 ms of IPC each.) All requests must share `code`.
   */
  async runMany(reqs: RunRequest[]): Promise<Promise<RunResult>[]> {
    this.starting++;
    this.updateRef();
    try {
      await this.ready;
    } finally {
      this.starting--;
    }
    if (this.dead) throw new SandboxError('the sandbox process is not running');
    const code = reqs[0]?.code ?? '';
    if (reqs.some((req) => req.code !== code)) throw new Error('ldb internal: a batch of runs must share one program');
    const runs = reqs.map((req) => ({ id: this.nextId++, req }));
    const results = runs.map(
      ({ id, req }) =>
        new Promise<RunResult>((resolve) => {
          this.pending.set(id, { resolve, checkpoint: null, timer: undefined, started: performance.now(), timeMs: req.timeMs });
          this.order.push(id);
        }),
    );
    this.armCurrent();
    this.updateRef();
    if (runs.length === 1) this.post({ t: 'run', id: runs[0]!.id, req: runs[0]!.req });
    else if (runs.length > 1) this.post({ t: 'runMany', code, runs: runs.map(({ id, req }) => ({ id, req: withoutCode(req) })) });
    return results;
  }

  async stats(): Promise<ServerStats | null> {
    if (this.dead) return null;
    this.starting++;
    this.updateRef();
    try {
      await this.ready;
    } catch {
      return null;
    } finally {
      this.starting--;
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.statsWaiting.set(id, resolve);
      this.updateRef();
      this.post({ t: 'stats', id });
    });
  }

  kill(): void {
    if (this.dead) return;
    this.killed = true;
    this.child.kill('SIGKILL');
    const at = idle.indexOf(this);
    if (at >= 0) idle.splice(at, 1);
  }

  private settle(id: number, response: RunResponse): void {
    const run = this.pending.get(id);
    if (!run) return;
    clearTimeout(run.timer);
    this.pending.delete(id);
    this.order = this.order.filter((other) => other !== id);
    run.resolve({ ...response, checkpoint: run.checkpoint });
    // An isolate the deadline had to dispose may still hold a thread: retire the whole server.
    // The runs of the batch after this one are not the server's failures: they go to a new one.
    if (response.recycle) {
      this.retired = true;
      this.kill();
    }
    else this.armCurrent();
    this.updateRef();
  }

  /** The run the server works on now gets its deadline; the server did not answer in time: end it. */
  private armCurrent(): void {
    const run = this.pending.get(this.order[0] ?? -1);
    if (!run || run.timer !== undefined || this.dead) return;
    run.started = performance.now();
    run.timer = setTimeout(() => {
      // An isolate that would not stop.
      this.killedForTime = true;
      this.kill();
    }, run.timeMs + GRACE_MS);
  }

  private onExit(): void {
    if (this.exited) return;
    this.exited = true;
    SandboxProcess.alive--;
    // A V8 fatal out-of-memory (reported, or an abort with V8's OOM report on stderr) ends the
    // run as `memory`; a kill for overrunning the time limit as `timeout`; anything else as an
    // error the caller can see.
    const oom = this.fatal !== undefined || /out of memory|heap limit|is_heap_oom|Last few GCs/i.test(this.stderrTail);
    // Only the run in progress met its end; the runs of its batch still waiting go to a new server.
    const [current, ...waiting] = this.order;
    const run = this.pending.get(current ?? -1);
    if (this.retired && current !== undefined) waiting.unshift(current);
    else if (current !== undefined && run) {
      this.settle(current, oom ? lostRun('memory', run) : this.killedForTime ? lostRun('timeout', run) : crashed(run, this.stderrTail));
    }
    for (const id of waiting) this.settle(id, unstarted());
    for (const [id, other] of this.pending) this.settle(id, crashed(other, this.stderrTail));
    for (const waiting of this.statsWaiting.values()) waiting(null);
    this.statsWaiting.clear();
    const at = idle.indexOf(this);
    if (at >= 0) idle.splice(at, 1);
  }

  private post(message: ParentMessage): void {
    if (this.dead || !this.child.connected) return;
    this.child.send(message);
  }

  /** Keeps the parent alive only while it waits for an answer. */
  private updateRef(): void {
    const busy = this.starting > 0 || this.pending.size > 0 || this.statsWaiting.size > 0;
    const stderr = this.child.stderr as (Readable & { ref?: () => void; unref?: () => void }) | null;
    if (busy) {
      this.child.ref();
      this.child.channel?.ref();
      stderr?.ref?.();
    } else {
      this.child.unref();
      this.child.channel?.unref();
      stderr?.unref?.();
    }
  }
}

function lostRun(end: 'memory' | 'timeout', run: PendingRun): RunResponse {
  return { end, trace: run.checkpoint, console: null, durationMs: performance.now() - run.started, executionMs: 0 };
}

function unstarted(): RunResponse {
  return { end: 'unstarted', trace: null, console: null, durationMs: 0, executionMs: 0 };
}

function withoutCode(req: RunRequest): Omit<RunRequest, 'code'> {
  const { code: _code, ...rest } = req;
  return rest;
}

function crashed(run: PendingRun, stderr: string): RunResponse {
  const detail = lastLine(stderr);
  return {
    end: 'thrown',
    thrown: { name: 'SandboxError', message: `the sandbox process stopped unexpectedly${detail ? `: ${detail}` : ''}` },
    trace: run.checkpoint,
    console: null,
    durationMs: performance.now() - run.started,
    executionMs: 0,
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim();
}

/** The server needs nothing from the environment; it gets as little of it as node will run with. */
function minimalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'LD_LIBRARY_PATH', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return env;
}
