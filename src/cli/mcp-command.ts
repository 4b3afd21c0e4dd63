import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { CreateModelOptions } from '../llm/create.js';
import { checkExposure } from '../mcp/listen.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { CommandRun } from './command.js';
import { limitsFrom, modelOptionsFrom, modelSpecFrom } from './common-options.js';
import { UsageError, type OptionValues } from './options.js';

export interface McpArgs {
  root: string;
  http?: { host: string; port: number };
  token?: string;
  allowedHosts: string[];
  model?: string;
  modelOptions: CreateModelOptions;
  concurrency: number;
  limits: LimitsInput;
}

/** Serves until the client goes away (stdio), or SIGINT/SIGTERM; exit 0. */
export const runMcp: CommandRun = async ({ values, positionals }, io) => {
  const args = mcpArgs(values, positionals, io.env, (message) => io.stderr(`ldb mcp: ${message}\n`));
  if (args.http) checkExposure(args.http.host, args.token);
  await checkRoot(args.root);
  const { serveMcp } = await import('../mcp/serve.js');
  const stop = stopSignal();
  try {
    await serveMcp({
      root: args.root,
      model: args.model,
      modelOptions: args.modelOptions,
      env: io.env,
      maxConcurrency: args.concurrency,
      limits: args.limits,
      version: version(),
      ...(args.http ? { http: { ...args.http, token: args.token, allowedHosts: args.allowedHosts } } : {}),
      log: (line) => io.stderr(`${line}\n`),
      stop: stop.promise,
    });
  } finally {
    stop.dispose();
  }
  return 0;
};

export function mcpArgs(values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv, onNotice: (message: string) => void = () => undefined): McpArgs {
  if (positionals.length > 0) throw new UsageError('mcp', `unexpected argument '${positionals[0]}'`);
  const token = (values.token as string | undefined) || env.LDB_MCP_TOKEN || undefined;
  const model = modelSpecFrom(values.model as string | undefined, env);
  const http = values.http as string | undefined;
  return {
    root: resolve((values.root as string | undefined) ?? '.'),
    ...(http !== undefined ? { http: parseListen(http) } : {}),
    ...(token ? { token } : {}),
    allowedHosts: (values['allowed-host'] as string[] | undefined) ?? [],
    ...(model ? { model } : {}),
    modelOptions: modelOptionsFrom(values, env, onNotice),
    concurrency: (values.concurrency as number | undefined) ?? 2,
    limits: limitsFrom(values),
  };
}

/** `8765`, `0.0.0.0:8765`, `localhost:0`, `[::1]:8765`; the host defaults to 127.0.0.1. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d+)$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new UsageError('mcp', `--http expects [host:]port (e.g. 8765 or 127.0.0.1:8765), got '${text}'`);
  const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

async function checkRoot(root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError('mcp', `--root ${root} is not a directory`);
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
