// ldb debug: process start to first frame (median of 5) and key press to next frame on a
// 100,000-step trace, in a real pseudo-terminal. Figures only; nothing here asserts a timing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from '@lydell/node-pty';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/ldb.js');
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

/** Starts `ldb debug` in a pty; resolves helpers to watch its output. */
function open(args, cwd) {
  const started = performance.now();
  const pty = spawn(process.execPath, [BIN, 'debug', ...args], { cols: 100, rows: 30, cwd, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  const waiters = [];
  pty.onData((data) => {
    output += data;
    for (const waiter of waiters.splice(0)) waiter(data);
  });
  const nextData = () => new Promise((resolve) => waiters.push(resolve));
  const waitFor = async (pattern) => {
    while (!(typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output))) await nextData();
    return performance.now();
  };
  return { pty, started, nextData, waitFor, clear: () => (output = '') };
}

async function firstFrame() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const session = open(['fixtures/js/off-by-one-sum.js', '--tests', 'fixtures/js/off-by-one-sum.test.js'], ROOT);
    const at = await session.waitFor('── Tests');
    times.push(at - session.started);
    await session.waitFor('step 8/8');
    session.pty.write('q');
    await new Promise((resolve) => session.pty.onExit(resolve));
  }
  return times;
}

async function keyToFrame() {
  const dir = await mkdtemp(join(tmpdir(), 'ldb-bench-ui-'));
  try {
    await writeFile(join(dir, 'count.js'), 'function count(n) {\n  let t = 0;\n  for (let i = 0; i < n; i++) {\n    t += i;\n  }\n  return t;\n}\n');
    await writeFile(join(dir, 'count.test.js'), "const assert = require('node:assert');\nassert.strictEqual(count(50000), 0);\n");
    const session = open(['count.js', '--tests', 'count.test.js', '--max-events', '100004', '--time-limit', '60000'], dir);
    await session.waitFor(/step (\d{6})\/\1/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const times = [];
    // Every key here moves the step, so every press draws a new frame.
    const keys = ['p', 'p', 'n', 'g', 'n', 'G', 'p', 'e'];
    for (let i = 0; i < 40; i++) {
      const frame = Promise.race([session.nextData(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      const pressed = performance.now();
      session.pty.write(keys[i % keys.length]);
      await frame;
      times.push(performance.now() - pressed);
      await new Promise((resolve) => setTimeout(resolve, 60)); // let the frame finish
    }
    session.pty.write('q');
    await new Promise((resolve) => session.pty.onExit(resolve));
    return times;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchUi() {
  const first = await firstFrame();
  console.log(`ui: process start to first frame (ldb debug, off-by-one-sum): median ${median(first).toFixed(0)} ms of 5 (${first.map((t) => t.toFixed(0)).join(', ')}); target < 500 ms`);
  const keys = await keyToFrame();
  console.log(`ui: key press to next frame on a 100,004-step trace (all kept): median ${median(keys).toFixed(1)} ms, p95 ${percentile(keys, 0.95).toFixed(1)} ms of ${keys.length}; target < 50 ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchUi();
