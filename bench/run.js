// npm run bench: measures ldb on the real HumanEvalPack set (data/). Prints figures only;
// nothing here asserts a timing. Run after `npm run build` (the npm script does it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchBatch } from './batch.js';
import { benchLoopOverhead } from './loop.js';
import { benchPromptTokens } from './prompts.js';
import { benchStartup } from './startup.js';
import { benchTracing } from './tracing.js';
import { benchUi } from './ui.js';

const data = fileURLToPath(new URL('../data/humanevalpack-js.jsonl', import.meta.url));
if (!existsSync(data)) {
  console.error(`bench: ${data} not found; the benchmark data ships in data/`);
  process.exit(2);
}
const only = process.argv[2];
if (!only || only === 'tracing') await benchTracing(data);
if (!only || only === 'prompts') await benchPromptTokens(data);
if (!only || only === 'loop') await benchLoopOverhead(data);
if (!only || only === 'startup') benchStartup();
if (!only || only === 'batch') await benchBatch(data);
if (!only || only === 'ui') await benchUi();
