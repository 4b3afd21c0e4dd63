import { Sandbox } from '../sandbox/sandbox.js';

/**
 * A bounded set of sandboxes shared by all tool calls: at most `size` calls run user code at
 * once (each sandbox is one sandbox server process), the rest wait their turn. Sandboxes are
 * kept warm between calls, so a call after the first pays no process start.
 */
export class SandboxPool {
  private readonly idle: Sandbox[] = [];
  private readonly waiting: { resume: (sandbox: Sandbox) => void; signal?: AbortSignal; onAbort: () => void }[] = [];
  private created = 0;
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`the sandbox pool needs a size of at least 1, got ${size}`);
  }

  /** Runs `work` with a sandbox of its own, waiting for one if all are busy. */
  async use<T>(work: (sandbox: Sandbox) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const sandbox = await this.acquire(signal);
    try {
      return await work(sandbox);
    } finally {
      this.release(sandbox);
    }
  }

  /** Gives every sandbox server back; calls still running finish, later ones are refused. */
  dispose(): void {
    this.closed = true;
    for (const sandbox of this.idle.splice(0)) sandbox.dispose();
  }

  private acquire(signal: AbortSignal | undefined): Promise<Sandbox> {
    if (this.closed) return Promise.reject(new Error('the ldb MCP server is shutting down'));
    signal?.throwIfAborted();
    const ready = this.idle.pop() ?? (this.created < this.size ? this.create() : undefined);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter = {
        resume: resolve,
        signal,
        onAbort: () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(signal?.reason ?? new Error('cancelled'));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(sandbox: Sandbox): void {
    const next = this.waiting.shift();
    if (next) {
      next.signal?.removeEventListener('abort', next.onAbort);
      next.resume(sandbox);
    } else if (this.closed) {
      sandbox.dispose();
    } else {
      this.idle.push(sandbox);
    }
  }

  private create(): Sandbox {
    this.created++;
    return new Sandbox();
  }
}
