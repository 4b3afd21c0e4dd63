/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for tests, so the real HTTP client path runs
 * without a network. It answers POST /v1/chat/completions (and /chat/completions) from a script,
 * one step per request, and records every request.
 *
 *   const server = await startFakeOpenAI([{ status: 429, headers: { 'retry-after': '0' } }, { reply: 'ok' }]);
 *   const model = createModel(`openai-compatible:fake@${server.url}`, { cache: false });
 *   await model.complete({ messages: [{ role: 'user', content: 'hi' }] });
 *   server.requests[1].body.messages; // what the client sent
 *   await server.close();
 *
 * `server.url` ends in /v1: use it as OPENAI_BASE_URL or after the @ of openai-compatible:<model>@<url>.
 * When the script runs out the server answers 418 (a status the client does not retry) saying so.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStep {
  /** Default 200. A status >= 400 gets a provider-shaped error body carrying `message`. */
  status?: number;
  /** The assistant's text for a 200. Default ''. */
  reply?: string;
  /** Token counts reported for a 200. Default { prompt: 10, completion: 5 }. */
  usage?: { prompt: number; completion: number };
  /** Default 'stop' (OpenAI) / 'end_turn' (Anthropic). */
  finishReason?: string;
  /** Error text for a status >= 400. */
  message?: string;
  /** Extra response headers, e.g. { 'retry-after': '0' }. */
  headers?: Record<string, string>;
  /** A raw JSON body that replaces the generated one. */
  json?: unknown;
  /** A raw text body that replaces the generated one (e.g. an HTML error page). */
  body?: string;
  /** Never answer (the client's timeout or abort must end the request). */
  hang?: boolean;
  /** Close the connection without answering, like a crashed server. */
  drop?: boolean;
  /** Answer after this long. */
  delayMs?: number;
}

/** A list (one step per request, in order) or a function of the request and its 0-based index. */
export type FakeScript = FakeStep[] | ((request: RecordedRequest, index: number) => FakeStep);

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body ({} when it was not a JSON object). */
  body: Record<string, unknown>;
  rawBody: string;
}

export interface FakeServer {
  /** The base URL clients are given: `http://127.0.0.1:<port>/v1` (OpenAI) or `http://127.0.0.1:<port>` (Anthropic). */
  url: string;
  /** Every request received, in order, including ones to unknown paths. */
  requests: RecordedRequest[];
  /** Stops the server and drops open (hanging) connections. */
  close(): Promise<void>;
}

export function startFakeOpenAI(script: FakeScript): Promise<FakeServer> {
  return startScriptedServer({
    paths: ['/v1/chat/completions', '/chat/completions'],
    basePath: '/v1',
    script,
    renderReply: (step, request, index) => ({
      id: `chatcmpl-fake-${index}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: typeof request.body.model === 'string' ? request.body.model : 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content: step.reply ?? '' }, finish_reason: step.finishReason ?? 'stop' }],
      usage: usageOf(step, (prompt, completion) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion })),
    }),
    renderError: (status, message) => ({ error: { message, type: status === 429 ? 'rate_limit_error' : 'server_error', code: null } }),
  });
}

export function usageOf<T>(step: FakeStep, shape: (prompt: number, completion: number) => T): T {
  return shape(step.usage?.prompt ?? 10, step.usage?.completion ?? 5);
}

/** The machinery shared by the fake providers: routing, scripting, recording, shutting down. */
export function startScriptedServer(options: {
  paths: string[];
  basePath: string;
  script: FakeScript;
  renderReply: (step: FakeStep, request: RecordedRequest, index: number) => unknown;
  renderError: (status: number, message: string) => unknown;
}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let answered = 0;

  const stepFor = (request: RecordedRequest): FakeStep => {
    const index = answered++;
    if (typeof options.script === 'function') return options.script(request, index);
    return options.script[index] ?? { status: 418, message: `fake server: the script has no step for request #${index + 1}` };
  };

  const respond = (response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = (incoming.url ?? '/').split('?')[0] ?? '/';
      const request: RecordedRequest = { method: incoming.method ?? '', path, headers: incoming.headers, body: parseObject(rawBody), rawBody };
      requests.push(request);
      if (incoming.method !== 'POST' || !options.paths.includes(path)) {
        respond(response, 404, JSON.stringify(options.renderError(404, `fake server: no route ${incoming.method ?? ''} ${path}`)));
        return;
      }
      const index = answered;
      const step = stepFor(request);
      if (step.hang) return;
      if (step.drop) {
        incoming.socket.destroy();
        return;
      }
      const send = (): void => {
        const status = step.status ?? 200;
        let body: string;
        if (step.body !== undefined) body = step.body;
        else if (step.json !== undefined) body = JSON.stringify(step.json);
        else if (status >= 400) body = JSON.stringify(options.renderError(status, step.message ?? `fake error ${status}`));
        else body = JSON.stringify(options.renderReply(step, request, index));
        respond(response, status, body, step.headers);
      };
      if (step.delayMs === undefined) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, step.delayMs);
        timers.add(timer);
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${options.basePath}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearTimeout(timer);
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
