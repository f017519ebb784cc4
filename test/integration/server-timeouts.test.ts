/**
 * Every local server cuts a client that never finishes its request headers (slow loris), and a
 * connection that goes idle. Before, the S3 and Lambda servers had headersTimeout 0 (Node takes
 * it from requestTimeout, which they set to 0 for long uploads) and held such sockets forever.
 * Node checks header timeouts every 30 s, so this waits up to 55 s, all servers at once.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRunCredentials } from '../../cloud/local/credentials';
import { startLambdaServer } from '../../cloud/local/lambda-server';
import { startMediaConvertServer } from '../../cloud/local/mediaconvert/server';
import { startS3Server } from '../../cloud/local/s3';
import { guardServer } from '../../node/http-guard';
import { startWebHost } from '../../electron/web/server';
import type { HostRuntime } from '../../electron/services/host-call';
import { createEventHub } from '../../electron/services/events';

/** Sends half a request head and resolves with when (and how) the server ended the connection. */
function slowLoris(endpoint: string): Promise<{ ms: number; answer: string }> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Slow: `));
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ ms: Date.now() - started, answer: answer.split('\r\n')[0] }));
    setTimeout(() => socket.destroy(), 58_000).unref();
  });
}

test('S3, Lambda, MediaConvert and the web host cut a client that never finishes its headers', { timeout: 90_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-timeouts-'));
  const credentials = createRunCredentials();
  const s3 = await startS3Server({ dataDir: join(dir, 's3'), credentials, region: 'eu-west-1', buckets: [] });
  const lambda = await startLambdaServer({ credentials, region: 'eu-west-1', functions: {} });
  const mc = await startMediaConvertServer({ region: 'eu-west-1', resolveS3: async () => { throw new Error('none'); }, storeS3: async () => {} });
  const web = await startWebHost({ port: 0, staticDir: join(dir, 'static'), createRuntime: () => ({ events: createEventHub(), close: async () => {} }) as unknown as HostRuntime });
  try {
    const servers = { s3: s3.endpoint, lambda: lambda.endpoint, mediaconvert: mc.endpoint, web: web.url };
    const results = await Promise.all(Object.entries(servers).map(async ([name, url]) => [name, await slowLoris(url)] as const));
    for (const [name, { ms, answer }] of results) {
      assert.ok(ms < 55_000, `${name} held a half-sent request for ${ms} ms`);
      assert.ok(ms >= 19_000, `${name} cut it after ${ms} ms, before the 20 s grace`);
      assert.equal(answer, 'HTTP/1.1 408 Request Timeout', name);
    }
  } finally {
    await Promise.all([s3.close(), lambda.close(), mc.close(), web.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});

test('an idle connection is closed after the idle timeout', async () => {
  const server = guardServer(createServer((_req, res) => res.end('ok')), { idleTimeoutMs: 300 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const started = Date.now();
  const closedAfter = await new Promise<number>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('close', () => resolve(Date.now() - started));
    socket.on('error', () => {});
  });
  server.close();
  assert.ok(closedAfter >= 250 && closedAfter < 5000, `closed after ${closedAfter} ms`);
});
