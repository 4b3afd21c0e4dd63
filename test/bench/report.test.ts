import { execFileSync, spawn } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../helpers/fake-openai.js';
import { fakeModel, ldb, modelSpec, readRecords, scratchDir } from './helpers.js';
import { countColour, decodePng } from './png.js';

const IDS = ['JavaScript/0', 'JavaScript/1', 'JavaScript/2', 'JavaScript/3', 'JavaScript/4', 'JavaScript/5'];
const HOSTILE_ID = '<script>alert("x")</script>&<img src=x onerror=alert(1)>';

let server: FakeServer;
let dir: string;
let cleanup: () => Promise<void>;
let html: string;

beforeAll(async () => {
  server = await fakeModel({ unfixable: new Set(['JavaScript/2', 'JavaScript/4']) });
  ({ dir, cleanup } = await scratchDir());
  const run = (out: string, method: string) =>
    ldb(['bench', 'humanevalpack-js', '-m', modelSpec(server), '--ids', IDS.join(','), '--max-iters', '3', '--method', method, '-o', join(dir, out)], {
      LDB_CACHE_DIR: join(dir, 'cache'),
    });
  expect((await run('ldb.jsonl', 'ldb')).code).toBe(0);
  expect((await run('baseline.jsonl', 'baseline')).code).toBe(0);
  // User data that must never become markup: a task id and a trace with HTML in them.
  const records = await readRecords(join(dir, 'ldb.jsonl'));
  const hostile = { ...records[0]!, task_id: HOSTILE_ID, index: 99 };
  hostile.iterations = hostile.iterations.map((i) => ({ ...i, trace_text: `${i.trace_text ?? ''}\n</pre><script>alert(2)</script>` }));
  await copyFile(join(dir, 'ldb.jsonl'), join(dir, 'ldb-hostile.jsonl'));
  await writeFile(join(dir, 'ldb-hostile.jsonl'), `${await readFile(join(dir, 'ldb.jsonl'), 'utf8')}${JSON.stringify(hostile)}\n`);
  const report = await ldb(['bench', 'report', join(dir, 'ldb-hostile.jsonl'), join(dir, 'baseline.jsonl'), '--html', join(dir, 'report.html')]);
  expect(report.stderr).toBe('');
  html = await readFile(join(dir, 'report.html'), 'utf8');
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe('ldb bench report --html', () => {
  it('is one self-contained page with the summary, the chart, the comparison and each problem', () => {
    expect(html).toContain('<table id="summary">');
    expect(html).toContain('<svg id="pass-at-1-chart"');
    expect(html.match(/<polyline class="series"/g)).toHaveLength(2);
    expect(html).toContain('against');
    expect(html).toContain('Trace shown to the model');
    expect(html).toMatch(/<li class="bad">✗ <code>[^<]+<\/code> wrong result here<\/li>/);
    expect(html).toContain('<span class="add">+');
    // No network: no external URL anywhere, and a CSP that forbids fetching.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes every piece of user data', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  const chromium = findChromium();
  const renderTest = chromium ? it : it.skip;
  if (!chromium) {
    if (process.env.CI) throw new Error('CI must have chromium (apt-get install chromium) for the report rendering test');
    console.warn('ldb bench report: chromium not found (apt-get install chromium); the rendering test is skipped');
  }

  renderTest('renders in headless Chromium: the table and the chart are drawn', async () => {
    const page = pathToFileURL(join(dir, 'report.html')).href;
    const dom = await runChromium(chromium!, ['--dump-dom', page]);
    expect(dom).toMatch(/<table id="summary">.*pass@1 after debugging/s);
    expect(dom).toMatch(/<svg id="pass-at-1-chart"[^>]*>.*<polyline/s);
    const screenshot = process.env.LDB_REPORT_SCREENSHOT ?? join(dir, 'report.png');
    await runChromium(chromium!, [`--screenshot=${screenshot}`, '--window-size=1100,1100', page]);
    const pixels = decodePng(await readFile(screenshot));
    expect(pixels.width).toBe(1100);
    // The two series (blue and red lines with their points) are actually painted.
    expect(countColour(pixels, [0x25, 0x63, 0xeb])).toBeGreaterThan(300);
    expect(countColour(pixels, [0xdc, 0x26, 0x26])).toBeGreaterThan(300);
    // The summary table's borders.
    expect(countColour(pixels, [0xd1, 0xd5, 0xdb], 6)).toBeGreaterThan(1000);
  });
});

function findChromium(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser', 'google-chrome']) {
    if (!candidate) continue;
    try {
      execFileSync('which', [candidate], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function runChromium(binary: string, args: string[]): Promise<string> {
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${join(dir, 'chromium-profile')}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...flags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`chromium exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}
