import { describe, expect, it } from 'vitest';
import { SandboxPool } from '../../src/mcp/pool.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('SandboxPool', () => {
  it('runs at most `size` calls at once, the rest in turn, reusing sandboxes', async () => {
    const pool = new SandboxPool(2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const seen = new Set<unknown>();
    const calls = gates.map((gate, i) =>
      pool.use(async (sandbox) => {
        seen.add(sandbox);
        started.push(i);
        await gate.promise;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await calls[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    await Promise.all(calls);
    expect(seen.size).toBe(2);
    pool.dispose();
  });

  it('a call cancelled while it waits leaves the queue; after dispose calls are refused', async () => {
    const pool = new SandboxPool(1);
    const gate = deferred();
    const busy = pool.use(() => gate.promise);
    const controller = new AbortController();
    const waiting = pool.use(async () => 'ran', controller.signal);
    controller.abort(new Error('cancelled by the client'));
    await expect(waiting).rejects.toThrow('cancelled by the client');
    gate.resolve();
    await busy;
    expect(await pool.use(async () => 'next')).toBe('next');
    pool.dispose();
    await expect(pool.use(async () => 'late')).rejects.toThrow(/shutting down/);
  });
});
