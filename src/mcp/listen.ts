import { InputError } from '../errors.js';

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Anyone who can reach the server can run code in its sandbox and read files under its root,
 * so anything but loopback needs a bearer token. Checked before the server (and the SDK) loads.
 */
export function checkExposure(host: string, token: string | undefined): void {
  if (isLoopback(host) || token) return;
  throw new InputError(
    `refusing to listen on ${host} without a bearer token: anyone who can reach it could run code in the sandbox and read files under the root. Pass --token or set LDB_MCP_TOKEN (or listen on 127.0.0.1).`,
  );
}
