import { instrumentProgram } from '../dist/instrument/instrument.js';

/**
 * A program of about `bytes` characters made of many HumanEval-size functions (loops, branches,
 * closures over top-level state) and top-level statements, so that both the number of functions
 * and the size of the program scope grow with it.
 */
export function generateProgram(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `const limit${i} = ${i % 97};
let seen${i} = [];
function sumDigits${i}(n) {
  let total = 0;
  for (const ch of String(Math.abs(n))) {
    const d = Number(ch);
    if (d > limit${i}) continue;
    total += d;
  }
  seen${i}.push(total);
  return total;
}
const scale${i} = (xs) => xs.map((x, k) => (k % 2 === 0 ? x * ${i} : x - limit${i}));
if (sumDigits${i}(${i}) > 3) seen${i} = scale${i}(seen${i});
`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/** The hostile shape of issue 13: thousands of top-level vars, a thousand tiny top-level blocks. */
export function generateWideTopLevel(vars, blocks) {
  const lines = [];
  for (let i = 0; i < vars; i++) lines.push(`var v${i} = ${i};`);
  for (let i = 0; i < blocks; i++) lines.push(`if (v${i % vars}) v${(i * 7) % vars}++;`);
  return lines.join('\n');
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

function measure(label, code) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out = instrumentProgram(code, { filename: 'big.js' });
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`  ${label.padEnd(36)} ${fmt(elapsed).padStart(9)} wall, ${fmt(cpuMs).padStart(9)} CPU   source ${mb(code.length)} -> instrumented ${mb(out.code.length)}, ${out.model.blocks.length} blocks`);
}

/** Instrumentation time (parse, scopes, CFG, probes, code generation) for growing programs. */
export async function benchInstrument() {
  console.log('Instrumenting generated programs (one run each, this machine):');
  instrumentProgram(generateProgram(2_000), { filename: 'warm.js' });
  for (const bytes of [10_000, 100_000, 1_000_000]) measure(`${bytes / 1000} KB of functions`, generateProgram(bytes));
  measure('2,500 top-level vars x 1,200 ifs', generateWideTopLevel(2500, 1200));
}

if (process.argv[1]?.endsWith("bench/instrument.js") && import.meta.url === `file://${process.argv[1]}`) await benchInstrument();
