import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { serveHttp, type HttpOptions } from './http.js';
import { createLdbMcpServer, createToolbox, type LdbMcpOptions } from './server.js';

export interface ServeOptions extends LdbMcpOptions {
  /** Streamable HTTP instead of stdio. */
  http?: HttpOptions;
  /** Where the server says what it is doing (never stdout: over stdio that is the protocol). */
  log(line: string): void;
  /** Ends the server (SIGINT, SIGTERM); stdio also ends when the client closes stdin. */
  stop: Promise<void>;
  stdin?: Readable;
  stdout?: Writable;
}

/** Runs `ldb mcp` until the client goes away or `stop` settles; then every sandbox is given back. */
export async function serveMcp(options: ServeOptions): Promise<void> {
  const toolbox = createToolbox(options);
  try {
    if (options.http) {
      const serving = await serveHttp(toolbox, options.http);
      options.log(`ldb mcp: Streamable HTTP at ${serving.url}${options.http.token ? ' (bearer token required)' : ''}; root ${options.root}`);
      await Promise.race([options.stop, serving.closed]);
      await serving.close();
      return;
    }
    const server = createLdbMcpServer(toolbox);
    const transport = new StdioServerTransport(options.stdin, options.stdout);
    const ended = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
    });
    await server.connect(transport);
    options.log(`ldb mcp: serving over stdio; root ${options.root}${toolbox.context.models ? `; fix uses ${toolbox.context.models.spec}` : ''}`);
    await Promise.race([options.stop, ended]);
    await server.close();
  } finally {
    toolbox.dispose();
  }
}
