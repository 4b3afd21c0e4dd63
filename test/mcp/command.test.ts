import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';
import { mcpArgs, parseListen } from '../../src/cli/mcp-command.js';
import { MCP_COMMAND } from '../../src/cli/mcp-options.js';
import { parseCommandLine } from '../../src/cli/options.js';

function memoryIO(env: NodeJS.ProcessEnv = {}): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    readFile: async () => '',
    isTTY: false,
    env,
  };
  return io;
}

function parse(argv: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseCommandLine('mcp', MCP_COMMAND.options, argv);
  return mcpArgs(values, positionals, env);
}

describe('ldb mcp command line', () => {
  it('parses [host:]port, loopback by default', () => {
    expect(parseListen('8765')).toEqual({ host: '127.0.0.1', port: 8765 });
    expect(parseListen('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseListen('localhost')).toThrow(/--http expects \[host:\]port/);
    expect(() => parseListen('70000')).toThrow(/--http expects/);
  });

  it('takes the token and the model from the environment when not given', () => {
    const args = parse(['--http', '0.0.0.0:8765', '--concurrency', '3', '--root', '/tmp', '--time-limit', '500'], { LDB_MCP_TOKEN: 't0k', LDB_MODEL: 'ollama:qwen' });
    expect(args).toMatchObject({ root: '/tmp', http: { host: '0.0.0.0', port: 8765 }, token: 't0k', model: 'ollama:qwen', concurrency: 3, limits: { timeMs: 500 } });
    expect(args.modelOptions.cache).toBe(true);
    const flags = parse(['--token', 'flag', '--no-cache', '--allowed-host', 'box.lan'], { LDB_MCP_TOKEN: 'env' });
    expect(flags).toMatchObject({ token: 'flag', allowedHosts: ['box.lan'], modelOptions: { cache: false } });
  });

  it('prints its help, and refuses bad usage and an exposed address without a token before loading the server', async () => {
    const help = memoryIO();
    expect(await main(['mcp', '--help'], help)).toBe(0);
    expect(help.out).toContain('mcp --http [host:]port');
    expect(help.out).toContain('--allowed-host <name>');
    const exposed = memoryIO();
    expect(await main(['mcp', '--http', '0.0.0.0:8765'], exposed)).toBe(2);
    expect(exposed.err).toContain('ldb: refusing to listen on 0.0.0.0 without a bearer token');
    const stray = memoryIO();
    expect(await main(['mcp', 'file.js'], stray)).toBe(2);
    expect(stray.err).toContain("ldb mcp: unexpected argument 'file.js'");
    const badCount = memoryIO();
    expect(await main(['mcp', '--concurrency', '0'], badCount)).toBe(2);
    expect(badCount.err).toContain('--concurrency');
    const main_ = memoryIO();
    expect(await main(['--help'], main_)).toBe(0);
    expect(main_.out).toContain("Serve ldb's debugger as MCP tools");
  });
});
