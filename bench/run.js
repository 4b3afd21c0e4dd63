// npm run bench: measures ldb on the real HumanEvalPack set (data/). Prints figures only;
// nothing here asserts a timing. Run after `npm run build` (the npm script does it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchBatch } from './batch.js';
import { benchCases } from './cases.js';
import { benchCompact } from './compact.js';
import { benchLoopOverhead } from './loop.js';
import { benchMcp } from './mcp.js';
import { benchPromptTokens } from './prompts.js';
import { benchStartup } from './startup.js';
import { benchTestShapes } from './test-shapes.js';
import { benchTracing } from './tracing.js';
import { benchInstrument } from './instrument.js';
import { benchUi } from './ui.js';

const data = fileURLToPath(new URL('../data/humanevalpack-js.jsonl', import.meta.url));
if (!existsSync(data)) {
  console.error(`bench: ${data} not found; the benchmark data ships in data/`);
  process.exit(2);
}
const only = process.argv[2];
if (!only || only === 'tracing') await benchTracing(data);
if (!only || only === 'prompts') await benchPromptTokens(data);
if (!only || only === 'compact') await benchCompact(data);
if (!only || only === 'loop') await benchLoopOverhead(data);
if (!only || only === 'instrument') await benchInstrument();
if (!only || only === 'startup') benchStartup();
if (!only || only === 'test-shapes') await benchTestShapes();
if (!only || only === 'batch') await benchBatch(data);
if (!only || only === 'cases') await benchCases(data);
if (!only || only === 'mcp') await benchMcp();
if (!only || only === 'ui') await benchUi();
