/**
 * The sandbox server: a child process that owns the isolated-vm isolates and runs one case at a
 * time for its parent (see process.ts). It exists because some memory blow-ups are fatal to the
 * whole process that hosts an isolate (V8 aborts on a large allocation it cannot satisfy, e.g. a
 * growing Map, whatever the isolate's memory limit): they must kill this process, not ldb.
 *
 * `sandboxServer` is self-contained: the parent starts it as `node -e "(<its source>)(<ivm path>)"`,
 * so it may reference nothing outside its own body (it gets `require` from the -e script).
 */

import type ivmModule from 'isolated-vm';

/** Everything one run needs, as plain data (the parent prepared the text of both scripts). */
export interface RunRequest {
  /** Identifies the program text, so its compiled script is reused by later runs. */
  programKey: number;
  code: string;
  filename: string;
  /** A script that evaluates to the case function. */
  caseCode: string;
  caseFilename: string;
  async: boolean;
  /** BootstrapConfig as JSON. */
  config: string;
  tracerName?: string;
  tracerSlot?: string;
  timeMs: number;
  memoryMb: number;
}

/** How a run ended, before the parent turns it into an Outcome. */
export interface RunResponse {
  /**
   * report: the harness decided; thrown: something escaped it (program top level, unhandled
   * rejection). unstarted (set by the parent, never the server): the server ended before this
   * run of a batch began, so it says nothing about the case and is run again on a new server.
   */
  end: 'report' | 'thrown' | 'timeout' | 'stuck' | 'memory' | 'unstarted';
  /** CaseReport as JSON. */
  report?: string;
  thrown?: { name: string; message: string; stack?: string };
  /** WireTrace as JSON: read at the end, or the last checkpoint when the isolate is gone. */
  trace: string | null;
  /** Console lines as JSON. */
  console: string | null;
  durationMs: number;
  executionMs: number;
  /**
   * The host-side deadline had to dispose the isolate. Termination cannot always stop it (a
   * getter of a thrown value that isolated-vm reads while copying it may keep its thread
   * spinning), so the parent replaces this whole process.
   */
  recycle?: boolean;
}

export interface ServerStats {
  pid: number;
  rss: number;
  heapUsed: number;
  external: number;
  isolatesCreated: number;
  isolatesDisposed: number;
  liveIsolates: number;
  runs: number;
}

export type ParentMessage =
  | { t: 'init'; bootstrap: string }
  | { t: 'run'; id: number; req: RunRequest }
  /** The cases of one runTests call in one message (one program, sent once); results stream back one by one. */
  | { t: 'runMany'; code: string; runs: { id: number; req: Omit<RunRequest, 'code'> }[] }
  | { t: 'reset' }
  | { t: 'stats'; id: number };

export type ChildMessage =
  | { t: 'ready' }
  | { t: 'checkpoint'; id: number; json: string }
  | { t: 'result'; id: number; res: RunResponse }
  | { t: 'stats'; id: number; stats: ServerStats }
  | { t: 'fatal'; message: string };

export function sandboxServer(ivmPath: string): void {
  const ivm = require(ivmPath) as typeof ivmModule;
  const inspect = (require('node:util') as typeof import('node:util')).inspect;
  const TIMED_OUT = 'Script execution timed out.';
  const send = (message: ChildMessage): void => {
    if (process.connected) process.send!(message);
  };

  let bootstrapSource = '';
  let bootstrapCache: ivmModule.ExternalCopy<ArrayBuffer> | undefined;
  let isolate: ivmModule.Isolate | undefined;
  let isolateMb = 0;
  let bootstrapScript: ivmModule.Script | undefined;
  let scripts = new Map<string, ivmModule.Script>();
  let isolatesCreated = 0;
  let isolatesDisposed = 0;
  let runs = 0;
  let queue: Promise<void> = Promise.resolve();

  function disposeIsolate(): void {
    if (isolate && !isolate.isDisposed) {
      isolate.dispose();
    }
    if (isolate) isolatesDisposed++;
    isolate = undefined;
    bootstrapScript = undefined;
    scripts = new Map();
  }

  function isolateFor(memoryMb: number): ivmModule.Isolate {
    if (isolate && !isolate.isDisposed && isolateMb === memoryMb) return isolate;
    disposeIsolate();
    isolate = new ivm.Isolate({
      memoryLimit: memoryMb,
      // V8 gave up on memory (an allocation it cannot satisfy): this process is done for. Tell
      // the parent and end at once, before the stuck isolate thread holds anything else up.
      onCatastrophicError: (message: string) => {
        send({ t: 'fatal', message });
        process.kill(process.pid, 'SIGKILL');
      },
    });
    isolateMb = memoryMb;
    isolatesCreated++;
    return isolate;
  }

  async function bootstrapFor(target: ivmModule.Isolate): Promise<ivmModule.Script> {
    if (bootstrapScript) return bootstrapScript;
    const options: ivmModule.ScriptOrigin & ivmModule.CachedDataOptions = { filename: 'ldb-bootstrap.js' };
    if (bootstrapCache) options.cachedData = bootstrapCache;
    else options.produceCachedData = true;
    const script = (await target.compileScript(bootstrapSource, options)) as ivmModule.Script & ivmModule.CachedDataResult;
    if (!bootstrapCache && script.cachedData) bootstrapCache = script.cachedData;
    bootstrapScript = script;
    return script;
  }

  async function scriptFor(target: ivmModule.Isolate, key: string, code: string, filename: string): Promise<ivmModule.Script> {
    const cached = scripts.get(key);
    if (cached) {
      scripts.delete(key);
      scripts.set(key, cached); // most recently used last
      return cached;
    }
    const script = await target.compileScript(code, { filename });
    scripts.set(key, script);
    if (scripts.size > 32) {
      const oldest = scripts.keys().next().value as string;
      scripts.get(oldest)?.release();
      scripts.delete(oldest);
    }
    return script;
  }

  const cap = (text: string): string => (text.length <= 10000 ? text : `${text.slice(0, 10000)}... (${text.length - 10000} more characters)`);

  /** What escaped the isolate, as plain strings (the value is an inert copy by now). */
  function describe(error: unknown): { name: string; message: string; stack?: string } {
    if (error instanceof Error) {
      const out: { name: string; message: string; stack?: string } = { name: cap(String(error.name)), message: cap(String(error.message)) };
      if (typeof error.stack === 'string') out.stack = cap(error.stack);
      return out;
    }
    return { name: 'Uncaught', message: 'a non-Error value was thrown: ' + inspect(error, { depth: 2, breakLength: Infinity }) };
  }

  async function run(id: number, req: RunRequest): Promise<RunResponse> {
    runs++;
    const started = performance.now();
    const left = (): number => Math.max(1, Math.round(req.timeMs - (performance.now() - started)));
    const target = isolateFor(req.memoryMb);
    let checkpoint: string | null = null;
    let context: ivmModule.Context | undefined;
    let control: ivmModule.Reference | undefined;
    let executionStarted = 0;
    let deadlineHit = false;
    let end: RunResponse['end'] = 'report';
    let report: string | undefined;
    let thrown: RunResponse['thrown'];

    /**
     * isolated-vm's timeout covers running the script, not the microtasks that run after it nor
     * the copying of a thrown value (which may call user getters): a host-side deadline does, by
     * disposing the isolate.
     */
    const guarded = async <T>(work: Promise<T>, ms: number): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          deadlineHit = true;
          if (!target.isDisposed) target.dispose();
          reject(new Error(TIMED_OUT));
        }, ms + 50);
      });
      work.catch(() => undefined);
      try {
        return await Promise.race([work, deadline]);
      } finally {
        clearTimeout(timer);
      }
    };
    const call = (command: string, ms: number, a?: unknown, b?: unknown): Promise<unknown> =>
      guarded(control!.apply(undefined, a === undefined ? [command] : [command, a, b], { timeout: ms }), ms);

    try {
      context = await target.createContext();
      const prepare = await (await bootstrapFor(target)).run(context, { reference: true });
      const onCheckpoint = new ivm.Callback((json: string) => {
        checkpoint = json;
        send({ t: 'checkpoint', id, json });
      });
      control = (await guarded(
        prepare.apply(undefined, [req.config, onCheckpoint], { timeout: 5000, result: { reference: true } }),
        5000,
      )) as typeof control;
      prepare.release();
      if (req.tracerName && req.tracerSlot) {
        const slot = JSON.stringify(req.tracerSlot);
        const bind = `const ${req.tracerName} = globalThis[${slot}];\ndelete globalThis[${slot}];`;
        await (await scriptFor(target, 'bind:' + req.tracerName, bind, 'ldb-bind.js')).run(context, { timeout: 1000 });
      }
      executionStarted = performance.now();
      const program = await scriptFor(target, 'program:' + req.programKey, req.code, req.filename);
      await guarded(program.run(context, { timeout: left() }), left());
      const caseScript = await target.compileScript(req.caseCode, { filename: req.caseFilename });
      const testFunction = (await guarded(caseScript.run(context, { timeout: left(), reference: true }), left())) as ivmModule.Reference;
      caseScript.release();
      let state = await call('start', left(), testFunction.derefInto(), req.async);
      let idleChecks = 0;
      while (state !== 'done') {
        if (performance.now() - started >= req.timeMs) throw new Error(TIMED_OUT);
        state = await call('tick', left());
        if (state !== 'idle') {
          idleChecks = 0;
        } else if (++idleChecks > 5) {
          end = 'stuck';
          break;
        } else {
          // No timer left; the engine's own background work (WebAssembly.compile) may still
          // settle something. Give it a moment before calling the case stuck.
          await new Promise((resolve) => setTimeout(resolve, 5 * idleChecks));
        }
      }
      testFunction.release();
      report = (await call('report', 2000)) as string;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (deadlineHit || message === TIMED_OUT) end = 'timeout';
      else if (target.isDisposed || /memory limit/i.test(message)) end = 'memory';
      else {
        end = 'thrown';
        thrown = describe(error);
      }
    }
    const executionMs = executionStarted > 0 ? performance.now() - executionStarted : 0;
    let trace: string | null = checkpoint;
    let consoleJson: string | null = null;
    if (control && !target.isDisposed) {
      try {
        const collected = await call('trace', 1000);
        if (typeof collected === 'string') trace = collected;
        const lines = await call('console', 1000);
        if (typeof lines === 'string') consoleJson = lines;
      } catch {
        // a leftover microtask of the interrupted run looped: keep the checkpoint
      }
    }
    if (context && !target.isDisposed) context.release();
    // A run that was cut short may leave microtasks queued in the isolate: they must not run
    // during the next case. A fresh isolate costs about 3 ms.
    if (end !== 'report' && end !== 'thrown') disposeIsolate();
    else if (target.isDisposed) disposeIsolate();
    const response: RunResponse = { end, trace, console: consoleJson, durationMs: performance.now() - started, executionMs };
    if (report !== undefined) response.report = report;
    if (thrown !== undefined) response.thrown = thrown;
    if (deadlineHit) response.recycle = true;
    return response;
  }

  function enqueue(id: number, req: RunRequest): void {
    queue = queue.then(async () => {
      let res: RunResponse;
      try {
        res = await run(id, req);
      } catch (error) {
        disposeIsolate();
        res = { end: 'thrown', thrown: describe(error), trace: null, console: null, durationMs: 0, executionMs: 0 };
      }
      send({ t: 'result', id, res });
    });
  }

  process.on('message', (message: ParentMessage) => {
    if (message.t === 'init') {
      bootstrapSource = message.bootstrap;
      send({ t: 'ready' });
    } else if (message.t === 'run') {
      enqueue(message.id, message.req);
    } else if (message.t === 'runMany') {
      for (const { id, req } of message.runs) enqueue(id, { ...req, code: message.code });
    } else if (message.t === 'reset') {
      queue = queue.then(() => disposeIsolate());
    } else if (message.t === 'stats') {
      const memory = process.memoryUsage();
      send({
        t: 'stats',
        id: message.id,
        stats: {
          pid: process.pid,
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          external: memory.external,
          isolatesCreated,
          isolatesDisposed,
          liveIsolates: isolatesCreated - isolatesDisposed,
          runs,
        },
      });
    }
  });
  // The parent is gone (or let go of this process): nothing else will come. SIGKILL rather than
  // exit: a normal exit waits for isolate threads, which a runaway one may never let happen.
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  // The same when this thread is stuck and cannot see the disconnect: a watcher thread checks
  // that the parent is still this process's parent.
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const watcher = new Worker(
    `const parent = process.ppid;
     setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, 500);`,
    { eval: true, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } },
  );
  watcher.unref();
}
