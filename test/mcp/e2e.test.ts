import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { serveHttp } from '../../src/mcp/http.js';
import { createToolbox } from '../../src/mcp/server.js';
import { answerOf, ROOT, SUM } from './helpers.js';

// These run the built CLI (npm run build first), as an agent starts it.
const LDB = [`${ROOT}bin/ldb.js`, 'mcp', '--root', ROOT];
const NODE = [process.execPath, '--no-node-snapshot'] as const;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

/** Starts `ldb mcp --http ...` and waits for the line that gives its URL. */
async function startHttp(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(NODE[0], [NODE[1], ...LDB, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  cleanup.push(() => void child.kill('SIGKILL'));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ldb mcp exited with ${code}: ${stderr}`)));
  });
  return { child, url };
}

function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
  });
}

describe('ldb mcp, the built CLI', () => {
  it('serves over stdio to the SDK stdio client: list, trace, query, check a patch', async () => {
    const transport = new StdioClientTransport({ command: NODE[0], args: [NODE[1], ...LDB], stderr: 'pipe' });
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(transport);
    cleanup.push(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['check_patch', 'check_verdicts', 'debug_context', 'query_trace', 'run_tests', 'trace_test']);
    const session: [string, Record<string, unknown>][] = [
      ['run_tests', SUM],
      ['trace_test', { ...SUM, test: 1 }],
      ['query_trace', { ...SUM, test: 1, variable: 'i', block: 'sumTo#2' }],
      ['check_patch', { programPath: 'fixtures/js/off-by-one-sum.fixed.js', testsPath: SUM.testsPath, originalPath: SUM.programPath }],
    ];
    const transcript: string[] = [];
    for (const [name, args] of session) {
      const answer = answerOf(await client.callTool({ name, arguments: args }));
      expect(answer.isError).toBe(false);
      transcript.push(`> ${name} ${JSON.stringify(args)}`, answer.text, '');
    }
    expect(transcript.join('\n')).toContain('Values of i at the visits of sumTo#2: 3 in all 8 steps.');
    expect(transcript.join('\n')).toContain('4 passed, 0 failed, 4 cases');
    // LDB_MCP_TRANSCRIPT=<file> keeps the session for the README.
    if (process.env.LDB_MCP_TRANSCRIPT) await writeFile(process.env.LDB_MCP_TRANSCRIPT, transcript.join('\n'));
  });

  it('serves Streamable HTTP on a free loopback port, with DNS-rebinding protection', async () => {
    const { child, url } = await startHttp(['--http', '127.0.0.1:0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const answer = answerOf(await client.callTool({ name: 'run_tests', arguments: SUM }));
    expect(answer.data).toMatchObject({ passed: 1, failed: 3 });
    await client.close();
    const port = new URL(url).port;
    expect(await rawPost(url, { host: `evil.example:${port}` })).toBe(403);
    expect(await rawPost(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await rawPost(url, {})).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a non-loopback address without a token', () => {
    const run = spawnSync(NODE[0], [NODE[1], ...LDB, '--http', '0.0.0.0:0'], { encoding: 'utf8', env: { ...process.env, LDB_MCP_TOKEN: '' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ldb: refusing to listen on 0.0.0.0 without a bearer token');
    expect(run.stdout).toBe('');
  });

  it('with a token: requests without it are refused, the client that sends it is served', async () => {
    const toolbox = createToolbox({ root: ROOT, version: 'test', env: {} });
    const serving = await serveHttp(toolbox, { host: '0.0.0.0', port: 0, token: 'sekrit-token' });
    cleanup.push(() => toolbox.dispose(), () => serving.close());
    const url = serving.url.replace('0.0.0.0', '127.0.0.1');
    expect(await rawPost(url, {})).toBe(401);
    expect(await rawPost(url, { authorization: 'Bearer wrong-token!' })).toBe(401);
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: 'Bearer sekrit-token' } } }));
    const answer = answerOf(await client.callTool({ name: 'trace_test', arguments: { ...SUM, test: 'assert.strictEqual(sumTo(1), 1)', maxSteps: 2 } }));
    expect(answer.data).toMatchObject({ totalSteps: 4, nextFrom: 3 });
    await client.close();
  });
});
