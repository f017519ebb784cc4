/** Timeouts every local HTTP server applies: the local cloud's S3, Lambda and MediaConvert, and the web host. */
import type { Server } from 'node:http';

/** A client must finish sending its request headers within this (slow-loris guard). */
export const HEADERS_TIMEOUT_MS = 20_000;
/** A connection that moves no byte either way for this long is closed. */
export const IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * Header and idle timeouts for a local server. Node's `headersTimeout` defaults to
 * `requestTimeout`, which our servers set to 0 (uploads may take hours): so 0, and a client
 * that sends headers one byte a minute holds a socket forever. Node checks it every 30 s, so a
 * slow client is cut between 20 and 50 s. `requestTimeout` stays 0; the idle timeout bounds a
 * stalled upload instead.
 */
export function guardServer(server: Server, options: { headersTimeoutMs?: number; idleTimeoutMs?: number } = {}): Server {
  server.headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  server.timeout = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  return server;
}

