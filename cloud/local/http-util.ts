/** Small helpers shared by the local cloud's HTTP servers. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardServer } from '../../node/http-guard';

/** AWS-looking request id (upper-case hex). */
export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** UUID-style request id, as Lambda uses. */
export function newUuid(): string {
  return crypto.randomUUID();
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/** Reads a whole (small) request body; rejects with BodyTooLargeError past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Starts listening (with `guardServer`'s timeouts) and returns the `http://host:port` endpoint. */
export function listen(server: Server, host: string, port: number): Promise<string> {
  guardServer(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve(`http://${shownHost}:${addr.port}`);
    });
  });
}

/** Stops accepting connections and drops idle keep-alive sockets so close() resolves promptly. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
    // Give in-flight responses a moment, then cut anything still open.
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}
