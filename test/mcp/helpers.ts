import { fileURLToPath } from 'node:url';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createLdbMcpServer, createToolbox, type LdbMcpOptions } from '../../src/mcp/server.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SUM = { programPath: 'fixtures/js/off-by-one-sum.js', testsPath: 'fixtures/js/off-by-one-sum.test.js' };

export interface Answer {
  text: string;
  isError: boolean;
  /** The structured content; the client has checked it against the tool's output schema. */
  data: Record<string, unknown>;
}

export interface Connected {
  client: Client;
  call(name: string, args: Record<string, unknown>, options?: Parameters<Client['callTool']>[1]): Promise<Answer>;
  close(): Promise<void>;
}

/** An ldb MCP server and an SDK client joined by the SDK's in-memory transport. */
export async function connect(options: Partial<LdbMcpOptions> = {}): Promise<Connected> {
  const toolbox = createToolbox({ root: ROOT, version: 'test', env: {}, modelOptions: { cache: false }, ...options });
  const server = createLdbMcpServer(toolbox);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'ldb-test', version: '1.0.0' });
  await client.connect(clientSide);
  await client.listTools(); // the client then checks every structuredContent against the tool's output schema
  return {
    client,
    call: async (name, args, callOptions) => answerOf(await client.callTool({ name, arguments: args }, callOptions)),
    async close() {
      await client.close();
      await server.close();
      toolbox.dispose();
    },
  };
}

export function answerOf(result: Awaited<ReturnType<Client['callTool']>>): Answer {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  const text = content.map((c) => c.text ?? '').join('\n');
  return { text, isError: result.isError === true, data: (result.structuredContent ?? {}) as Record<string, unknown> };
}
