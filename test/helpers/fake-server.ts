/**
 * The machinery shared by the fake model servers (fake-openai.ts, fake-anthropic.ts,
 * fake-compatible.ts): routing, scripting, recording, shutting down, and a `check` that rejects
 * requests the way the real provider does before any script step is used.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStep {
  /** Default 200. A status >= 400 gets a provider-shaped error body carrying `message`. */
  status?: number;
  /** The assistant's text for a 200. Default ''. */
  reply?: string;
  /** Token counts reported for a 200. Default { prompt: 10, completion: 5 }. */
  usage?: { prompt: number; completion: number; cached?: number };
  /** Tokens a reasoning model spends thinking before its text; a budget below them cuts the reply off. */
  reasoningTokens?: number;
  /** Default 'stop' (OpenAI) / 'end_turn' (Anthropic). */
  finishReason?: string;
  /** Error text for a status >= 400. */
  message?: string;
  /** The error's `code` / `type` for a status >= 400 (e.g. 'insufficient_quota'). */
  code?: string;
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
  /** The base URL clients are given: `http://127.0.0.1:<port>/v1` (OpenAI-style) or `http://127.0.0.1:<port>` (Anthropic). */
  url: string;
  /** Every request received, in order, including refused ones and ones to unknown paths. */
  requests: RecordedRequest[];
  /** The requests that got past the provider's checks and were answered from the script. */
  answered: RecordedRequest[];
  /** Stops the server and drops open (hanging) connections. */
  close(): Promise<void>;
}

/** A refusal the provider gives before generating anything. */
export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ServerBehaviour {
  paths: string[];
  basePath: string;
  script: FakeScript;
  /** The provider's own validation; a refusal does not use up a script step. */
  check?: (request: RecordedRequest) => Refusal | undefined;
  renderReply: (step: FakeStep, request: RecordedRequest, index: number) => unknown;
  renderError: (status: number, message: string, step: FakeStep) => unknown;
}

export function startScriptedServer(behaviour: ServerBehaviour): Promise<FakeServer> {
  const state: ServerState = { requests: [], answered: [], timers: new Set() };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => answer(behaviour, state, incoming, response, Buffer.concat(chunks).toString('utf8')));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${behaviour.basePath}`,
        requests: state.requests,
        answered: state.answered,
        close: () =>
          new Promise<void>((done) => {
            for (const timer of state.timers) clearTimeout(timer);
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

interface ServerState {
  requests: RecordedRequest[];
  answered: RecordedRequest[];
  timers: Set<NodeJS.Timeout>;
}

/** Records the request, then refuses it (route, provider checks) or answers it from the script's next step. */
function answer(behaviour: ServerBehaviour, state: ServerState, incoming: IncomingMessage, response: ServerResponse, rawBody: string): void {
  const path = (incoming.url ?? '/').split('?')[0] ?? '/';
  const request: RecordedRequest = { method: incoming.method ?? '', path, headers: incoming.headers, body: parseObject(rawBody), rawBody };
  state.requests.push(request);
  if (incoming.method !== 'POST' || !behaviour.paths.includes(path)) {
    respond(response, 404, JSON.stringify(behaviour.renderError(404, `fake server: no route ${incoming.method ?? ''} ${path}`, {})));
    return;
  }
  const refusal = behaviour.check?.(request);
  if (refusal) {
    respond(response, refusal.status, JSON.stringify(refusal.body), refusal.headers);
    return;
  }
  const index = state.answered.length;
  state.answered.push(request);
  const step = stepFor(behaviour.script, request, index);
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
    else if (status >= 400) body = JSON.stringify(behaviour.renderError(status, step.message ?? `fake error ${status}`, step));
    else body = JSON.stringify(behaviour.renderReply(step, request, index));
    respond(response, status, body, step.headers);
  };
  if (step.delayMs === undefined) return send();
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    send();
  }, step.delayMs);
  state.timers.add(timer);
}

function stepFor(script: FakeScript, request: RecordedRequest, index: number): FakeStep {
  if (typeof script === 'function') return script(request, index);
  return script[index] ?? { status: 418, message: `fake server: the script has no step for request #${index + 1}` };
}

function respond(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

export function usageOf<T>(step: FakeStep, shape: (prompt: number, completion: number, cached: number) => T): T {
  return shape(step.usage?.prompt ?? 10, step.usage?.completion ?? 5, step.usage?.cached ?? 0);
}

/** The Bearer token of a request, or undefined. */
export function bearerOf(request: RecordedRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
