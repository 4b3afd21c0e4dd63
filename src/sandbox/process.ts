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

interface PendingRun {
  resolve(response: RunResponse): void;
  checkpoint: string | null;
  timer: NodeJS.Timeout;
  started: number;
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
  private readonly statsWaiting = new Map<number, (stats: ServerStats | null) => void>();
  private nextId = 1;
  private stderrTail = '';
  private fatal: string | undefined;
  private killedForTime = false;
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

  async run(req: RunRequest): Promise<RunResponse & { checkpoint: string | null }> {
    this.starting++;
    this.updateRef();
    try {
      await this.ready;
    } finally {
      this.starting--;
    }
    if (this.dead) throw new SandboxError('the sandbox process is not running');
    const id = this.nextId++;
    const response = await new Promise<RunResponse>((resolve) => {
      const timer = setTimeout(() => {
        // The server did not answer in time (an isolate that would not stop): end it.
        this.killedForTime = true;
        this.kill();
      }, req.timeMs + GRACE_MS);
      this.pending.set(id, { resolve, checkpoint: null, timer, started: performance.now() });
      this.updateRef();
      this.post({ t: 'run', id, req });
    });
    const checkpoint = this.pending.get(id)?.checkpoint ?? null;
    this.pending.delete(id);
    this.updateRef();
    return { ...response, checkpoint };
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
    run.resolve(response);
    // An isolate the deadline had to dispose may still hold a thread: retire the whole server.
    if (response.recycle) this.kill();
  }

  private onExit(): void {
    if (this.exited) return;
    this.exited = true;
    SandboxProcess.alive--;
    // A V8 fatal out-of-memory (reported, or an abort with V8's OOM report on stderr) ends the
    // run as `memory`; a kill for overrunning the time limit as `timeout`; anything else as an
    // error the caller can see.
    const oom = this.fatal !== undefined || /out of memory|heap limit|is_heap_oom|Last few GCs/i.test(this.stderrTail);
    for (const [id, run] of this.pending) {
      this.settle(id, oom ? lostRun('memory', run) : this.killedForTime ? lostRun('timeout', run) : crashed(run, this.stderrTail));
    }
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
