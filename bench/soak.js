// Soak test of the sandbox: runs the hostile corpus (fixtures/hostile) many times in one process,
// plain and traced, and reports the host's memory and the sandbox server's isolates before and
// after. Not part of the test suite: `npm run soak` (builds first). ROUNDS=5 npm run soak for less.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runTests } from '../dist/api.js';
import { LdbError } from '../dist/errors.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const ROOT = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const DEFAULT_LIMITS = { timeMs: 3000, memoryMb: 32 };

const manifest = JSON.parse(await readFile(`${ROOT}manifest.json`, 'utf8'));
const entries = await Promise.all(
  manifest.map(async (entry) => ({
    entry,
    code: await readFile(`${ROOT}${entry.program}`, 'utf8'),
    tests: entry.testsFile ? await readFile(`${ROOT}${entry.testsFile}`, 'utf8') : (entry.tests ?? entry.test),
  })),
);

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

async function snapshot(label, sandbox) {
  await settle();
  const host = process.memoryUsage();
  const stats = await sandbox.stats();
  const server = stats.server;
  console.log(
    `${label.padEnd(22)} host rss ${mb(host.rss).padStart(9)}  heapUsed ${mb(host.heapUsed).padStart(8)}  external ${mb(host.external).padStart(8)}` +
      (server
        ? ` | server pid ${server.pid} rss ${mb(server.rss).padStart(9)}  heapUsed ${mb(server.heapUsed).padStart(8)}  live isolates ${server.liveIsolates} (${server.isolatesCreated} made, ${server.isolatesDisposed} disposed), ${server.runs} runs`
        : ' | no server running') +
      ` | servers started ${stats.processes.spawned}, alive ${stats.processes.alive}, idle ${stats.processes.idle}; Sandbox.dispose() calls ${stats.disposeCalls}`,
  );
  return { host, server };
}

/** One pass over the corpus, plain and traced, with a new Sandbox that is disposed at the end. */
async function round(sandbox) {
  const outcomes = {};
  for (const { entry, code, tests } of entries) {
    const options = {
      code,
      tests,
      filename: entry.program.split('/').pop(),
      testsFilename: entry.testsFile ?? 'tests.js',
      limits: { ...DEFAULT_LIMITS, ...entry.limits },
      sandbox,
      ...(entry.entryPoint ? { entryPoint: entry.entryPoint } : {}),
    };
    for (const trace of [false, true]) {
      let kind;
      try {
        const run = await runTests({ ...options, trace });
        kind = run.cases.at(-1).outcome.kind;
      } catch (error) {
        if (!(error instanceof LdbError)) throw error;
        kind = 'input-error';
      }
      outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      const want = entry.expect.outcome;
      if (kind !== want) console.log(`  ! ${entry.name} (${trace ? 'traced' : 'plain'}): ${kind}, expected ${want}`);
    }
  }
  return outcomes;
}

console.log(`Soak: the hostile corpus (${entries.length} programs, plain and traced) ${ROUNDS} times in one process.`);
const probe = new Sandbox();
await runTests({ code: 'function f() { return 1; }', tests: 'assert.strictEqual(f(), 1)', sandbox: probe });
const before = await snapshot('before (warm)', probe);
const started = performance.now();
let sandbox = probe;
let warm;
for (let i = 1; i <= ROUNDS; i++) {
  const t0 = performance.now();
  const outcomes = await round(sandbox);
  const summary = Object.entries(outcomes).map(([kind, n]) => `${kind} ${n}`).join(', ');
  console.log(`  round ${i}: ${((performance.now() - t0) / 1000).toFixed(1)} s (${summary})`);
  if (i === 1 || i === ROUNDS || i % 5 === 0) {
    const shot = await snapshot(`after round ${i}`, sandbox);
    if (i === 1) warm = shot;
  }
  sandbox.dispose();
  sandbox = new Sandbox();
}
await runTests({ code: 'function f() { return 1; }', tests: 'assert.strictEqual(f(), 1)', sandbox });
const after = await snapshot('after (final)', sandbox);
sandbox.dispose();
const total = (performance.now() - started) / 1000;
const growth = (from, key) => mb(after.host[key] - from.host[key]);
const line = (from) => `rss ${growth(from, 'rss')}, heapUsed ${growth(from, 'heapUsed')}, external ${growth(from, 'external')}`;
console.log(`Done in ${total.toFixed(0)} s.`);
console.log(`Host growth since the start:       ${line(before)} (the first round loads and compiles ldb's code paths)`);
console.log(`Host growth since the first round: ${line(warm)}`);
if (before.server && after.server) {
  const same = before.server.pid === after.server.pid;
  console.log(
    same
      ? `Server growth (same process): rss ${mb(after.server.rss - before.server.rss)}, live isolates ${before.server.liveIsolates} -> ${after.server.liveIsolates}.`
      : `The server process was replaced during the soak (memory bombs that V8 cannot survive end it); the final one has ${after.server.liveIsolates} live isolate(s).`,
  );
}
