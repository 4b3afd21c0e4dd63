import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { checkExposure } from '../mcp/listen.js';
import type { CliIO } from './io.js';
import { parseCommandLine, positiveInteger } from './inputs.js';

export const MCP_HELP = `ldb mcp — ldb's debugger as Model Context Protocol tools for coding agents

Usage:
  ldb mcp [options]                 serve over stdio (what agents start)
  ldb mcp --http [host:]port        serve Streamable HTTP at http://host:port/mcp

Tools: run_tests, trace_test, query_trace, debug_context, check_verdicts, check_patch, and fix
(only with a model). Programs and tests are passed as text or as paths under --root.

Options:
  --root <dir>          Directory the tools may read files from (default: the working directory)
  --http [host:]port    Streamable HTTP instead of stdio; host defaults to 127.0.0.1. Host and
                        Origin headers are checked (DNS-rebinding protection)
  --token <token>       Bearer token HTTP clients must send (default: $LDB_MCP_TOKEN); required
                        when host is not a loopback address
  --allowed-host <name> Another host name HTTP clients may use (repeatable)
  -m, --model <spec>    Model for the fix tool (default: $LDB_MODEL; no model, no fix tool)
  --no-cache            Do not use the on-disk response cache of model calls
  --concurrency <n>     Tool calls running user code at once, one sandbox each (default 2)
  --time-limit <ms>     Default time limit per test case (default 3000)
  -h, --help            Show this help

Examples:
  claude mcp add ldb -- ldb mcp --root "$PWD"
  ldb mcp --http 8765
  LDB_MCP_TOKEN=secret ldb mcp --http 0.0.0.0:8765
`;

export interface McpArgs {
  root: string;
  http?: { host: string; port: number };
  token?: string;
  allowedHosts: string[];
  model?: string;
  cache: boolean;
  concurrency: number;
  timeMs?: number;
}

export async function mcpCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseMcpArgs(argv, io.env);
  if (args === 'help') {
    io.stdout(MCP_HELP);
    return 0;
  }
  if (args.http) checkExposure(args.http.host, args.token);
  await checkRoot(args.root);
  const { serveMcp } = await import('../mcp/serve.js');
  const stop = stopSignal();
  try {
    await serveMcp({
      root: args.root,
      model: args.model,
      env: io.env,
      cache: args.cache,
      maxConcurrency: args.concurrency,
      limits: args.timeMs !== undefined ? { timeMs: args.timeMs } : {},
      version: version(),
      ...(args.http ? { http: { ...args.http, token: args.token, allowedHosts: args.allowedHosts } } : {}),
      log: (line) => io.stderr(`${line}\n`),
      stop: stop.promise,
    });
  } finally {
    stop.dispose();
  }
  return 0;
}

export function parseMcpArgs(argv: string[], env: NodeJS.ProcessEnv): McpArgs | 'help' {
  const { values, positionals } = parseCommandLine('mcp', () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        http: { type: 'string' },
        token: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        model: { type: 'string', short: 'm' },
        'no-cache': { type: 'boolean' },
        concurrency: { type: 'string' },
        'time-limit': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return 'help';
  if (positionals.length > 0) throw new InputError(`ldb mcp: unexpected argument '${positionals[0]}'\nRun 'ldb mcp --help' for usage.`);
  const token = values.token ?? (env.LDB_MCP_TOKEN || undefined);
  const model = values.model ?? (env.LDB_MODEL || undefined);
  return {
    root: resolve(values.root ?? '.'),
    ...(values.http !== undefined ? { http: parseListen(values.http) } : {}),
    ...(token ? { token } : {}),
    allowedHosts: values['allowed-host'] ?? [],
    ...(model ? { model } : {}),
    cache: values['no-cache'] !== true,
    concurrency: values.concurrency !== undefined ? positiveInteger(values.concurrency, '--concurrency') : 2,
    ...(values['time-limit'] !== undefined ? { timeMs: positiveInteger(values['time-limit'], '--time-limit') } : {}),
  };
}

/** `8765`, `0.0.0.0:8765`, `localhost:0`, `[::1]:8765`; the host defaults to 127.0.0.1. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d+)$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new InputError(`ldb mcp: --http expects [host:]port (e.g. 8765 or 127.0.0.1:8765), got '${text}'`);
  const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

async function checkRoot(root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`ldb mcp: --root ${root} is not a directory`);
}

/** SIGINT and SIGTERM end the server cleanly (sandboxes given back) instead of killing it mid-call. */
function stopSignal(): { promise: Promise<void>; dispose(): void } {
  let stop: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
