import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}bin/ldb.js`;

/** The pids whose parent is `pid` (Linux /proc; the CI runs there). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(process.platform === 'linux')('signals to ldb', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} ends ldb and the sandbox server running an endless loop`, async () => {
      const ldb = spawn(process.execPath, [BIN, 'trace', 'test/e2e/data/spin.js', '--test', 'spin(1)', '--time-limit', '600000'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        ldb.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      const server = await waitFor('the sandbox server', () => childrenOf(ldb.pid!)[0], 30_000);
      // Let the case start spinning in the isolate before the signal comes.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(alive(server)).toBe(true);
      ldb.kill(signal);
      const end = await exited;
      expect(end.signal).toBe(signal);
      await waitFor('the sandbox server to end', () => (alive(server) ? undefined : true), 10_000);
      expect(childrenOf(ldb.pid!)).toEqual([]);
    });
  }
});
