import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation, NodeStreamableHTTPServerTransport, originValidation } from '@modelcontextprotocol/node';
import {
  bearerAuthChallengeResponse,
  isInitializeRequest,
  localhostAllowedHostnames,
  OAuthError,
  OAuthErrorCode,
  verifyBearerToken,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import { InputError } from '../errors.js';
import { checkExposure } from './listen.js';
import { createLdbMcpServer, type LdbToolbox } from './server.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Required on any address but loopback. */
  token?: string | undefined;
  /** Host names clients may use besides the bind address and localhost (behind a proxy, a DNS name). */
  allowedHosts?: string[];
}

export interface HttpServing {
  url: string;
  close(): Promise<void>;
  /** Settles when the server has stopped. */
  closed: Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const ENDPOINT = '/mcp';
/** A client that vanished without ending its session (no DELETE) does not hold a server for ever. */
const SESSION_IDLE_MS = 60 * 60 * 1000;

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  lastUsed: number;
}

/**
 * Streamable HTTP at /mcp, one MCP session per client. Host and Origin headers are checked
 * against the names this server answers to (DNS-rebinding protection), and a bearer token
 * is required when one is configured, which it must be on a non-loopback address.
 */
export async function serveHttp(toolbox: LdbToolbox, options: HttpOptions): Promise<HttpServing> {
  checkExposure(options.host, options.token);
  const names = allowedNames(options);
  const checkHost = hostHeaderValidation(names);
  const checkOrigin = originValidation(names);
  const sessions = new Map<string, Session>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, session] of sessions) if (now - session.lastUsed > SESSION_IDLE_MS) void session.transport.close().finally(() => sessions.delete(id));
  }, 60_000).unref();
  const server = createServer((req, res) => {
    if (!checkHost(req, res) || !checkOrigin(req, res)) return;
    void handle(toolbox, sessions, options.token, req, res).catch((error: unknown) => {
      if (!res.headersSent) jsonRpcError(res, 500, `ldb internal error: ${(error as Error).message}`);
      else res.end();
    });
  });
  await listen(server, options);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    url: `http://${host}:${port}${ENDPOINT}`,
    closed,
    close: async () => {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((session) => session.transport.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function allowedNames(options: HttpOptions): string[] {
  const bind = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const wildcard = bind === '0.0.0.0' || bind === '[::]';
  return [...new Set([...localhostAllowedHostnames(), ...(wildcard ? [] : [bind]), ...(options.allowedHosts ?? [])])];
}

function listen(server: Server, options: HttpOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new InputError(`cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`)),
    );
    server.listen(options.port, options.host, () => resolve());
  });
}

async function handle(
  toolbox: LdbToolbox,
  sessions: Map<string, Session>,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if ((req.url ?? '/').split('?')[0] !== ENDPOINT) return jsonRpcError(res, 404, `not found: the MCP endpoint is ${ENDPOINT}`);
  let auth: AuthInfo | undefined;
  if (token) {
    try {
      auth = await verifyBearerToken(req.headers.authorization, { verifier: staticToken(token) });
    } catch (error) {
      return sendResponse(res, bearerAuthChallengeResponse(error));
    }
  }
  const request = auth ? Object.assign(req, { auth }) : req;
  const sessionId = req.headers['mcp-session-id'];
  const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  if (existing) {
    existing.lastUsed = Date.now();
    return existing.transport.handleRequest(request, res);
  }
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  if (sessionId !== undefined || !isInitializeRequest(body)) {
    return jsonRpcError(res, sessionId !== undefined ? 404 : 400, sessionId !== undefined ? 'unknown or expired session' : 'no session: start with an initialize request');
  }
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void sessions.set(id, { transport, lastUsed: Date.now() }),
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await createLdbMcpServer(toolbox).connect(transport);
  await transport.handleRequest(request, res, body);
}

/** The one token this server accepts, compared in constant time. */
function staticToken(expected: string): { verifyAccessToken(token: string): Promise<AuthInfo> } {
  const want = Buffer.from(expected);
  return {
    async verifyAccessToken(given) {
      const got = Buffer.from(given);
      if (got.length !== want.length || !timingSafeEqual(got, want)) throw new OAuthError(OAuthErrorCode.InvalidToken, 'invalid token');
      // The SDK refuses tokens without an expiry; this one lasts as long as the server.
      return { token: given, clientId: 'ldb-mcp', scopes: [], expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new InputError('request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.end(await response.text());
}

function jsonRpcError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
