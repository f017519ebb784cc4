import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createRunCredentials } from '../../cloud/local/credentials';
import { verifySigV4, type SigV4Request } from '../../cloud/local/sigv4';

const creds = createRunCredentials();
const region = 'eu-west-3';

function signer(service: string, secret = creds.secretAccessKey) {
  return new SignatureV4({
    service,
    region,
    sha256: Sha256,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: secret },
    uriEscapePath: service !== 's3',
  });
}

/** Wire form of a signed smithy request, as a Node server would receive it. */
function wire(signed: HttpRequest, rawPath: string, body?: Buffer): SigV4Request {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v ?? '']]))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`)
    .join('&');
  return { method: signed.method, path: query ? `${rawPath}?${query}` : rawPath, headers, body };
}

function s3Request(path: string, query: Record<string, string> = {}) {
  return new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9000,
    path,
    query,
    headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
}

describe('verifySigV4', () => {
  it('accepts an SDK-signed S3 request with an encoded key and tricky query values', async () => {
    const path = '/my-bucket/dir%20a/caf%C3%A9%2Bplus.mp4';
    const query = { 'list-type': '2', prefix: 'a b/é', delimiter: '/', 'continuation-token': 'x+y=', uploads: '' };
    const signed = (await signer('s3').sign(s3Request(path, query))) as HttpRequest;
    const result = verifySigV4(wire(signed, path), creds, { region, service: 's3' });
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('refuses a wrong secret, an unknown key id and a tampered query', async () => {
    const path = '/my-bucket/key.bin';
    const wrongSecret = (await signer('s3', 'not-the-secret').sign(s3Request(path))) as HttpRequest;
    const r1 = verifySigV4(wire(wrongSecret, path), creds, { region, service: 's3' });
    assert.equal(r1.ok, false);
    assert.equal(!r1.ok && r1.code, 'SignatureDoesNotMatch');

    const good = (await signer('s3').sign(s3Request(path, { prefix: 'a' }))) as HttpRequest;
    const other = verifySigV4(wire(good, path), { accessKeyId: 'HSPLOCALOTHERKEY0000', secretAccessKey: creds.secretAccessKey }, { service: 's3' });
    assert.equal(!other.ok && other.code, 'InvalidAccessKeyId');

    const tampered = wire(good, path);
    tampered.path = tampered.path.replace('prefix=a', 'prefix=b');
    const r3 = verifySigV4(tampered, creds, { region, service: 's3' });
    assert.equal(!r3.ok && r3.code, 'SignatureDoesNotMatch');
  });

  it('refuses unsigned requests, stale clocks and another region', async () => {
    const anon = verifySigV4({ method: 'GET', path: '/b/k', headers: { host: 'x' } }, creds, { service: 's3' });
    assert.equal(!anon.ok && anon.code, 'AccessDenied');
    const signed = (await signer('s3').sign(s3Request('/b/k'))) as HttpRequest;
    const late = verifySigV4(wire(signed, '/b/k'), creds, { service: 's3', now: new Date(Date.now() + 3600_000) });
    assert.equal(!late.ok && late.code, 'RequestTimeTooSkewed');
    const elsewhere = verifySigV4(wire(signed, '/b/k'), creds, { region: 'us-east-1', service: 's3' });
    assert.equal(!elsewhere.ok && elsewhere.code, 'AuthorizationHeaderMalformed');
  });

  it('verifies non-S3 services with the doubly-encoded path and the body hash', async () => {
    const rawPath = '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-3%3A000000000000%3Afunction%3Agen/invocations';
    const body = Buffer.from('{"a":1}');
    const request = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9001,
      path: rawPath,
      headers: { host: '127.0.0.1:9001', 'content-type': 'application/json' },
      body,
    });
    const signed = (await signer('lambda').sign(request)) as HttpRequest;
    const ok = verifySigV4(wire(signed, rawPath, body), creds, { region, service: 'lambda' });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const other = wire(signed, rawPath, Buffer.from('{"a":2}'));
    const bad = verifySigV4(other, creds, { region, service: 'lambda' });
    assert.equal(bad.ok, false);
  });

  it('accepts presigned GET URLs and refuses expired ones', async () => {
    const path = '/my-bucket/video%20one.mp4';
    // As @aws-sdk/s3-request-presigner does: S3 presigned URLs sign UNSIGNED-PAYLOAD.
    const headers = { host: '127.0.0.1:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    const request = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path, headers });
    const presigned = (await signer('s3').presign(request, { expiresIn: 60 })) as HttpRequest;
    const req = wire(presigned, path);
    delete req.headers['x-amz-content-sha256'];
    assert.equal(verifySigV4(req, creds, { region, service: 's3' }).ok, true);
    const expired = verifySigV4(req, creds, { region, service: 's3', now: new Date(Date.now() + 120_000) });
    assert.equal(!expired.ok && expired.message, 'Request has expired');
  });

  it('makes fresh credentials per run', () => {
    const a = createRunCredentials();
    const b = createRunCredentials();
    assert.match(a.accessKeyId, /^HSPLOCAL[A-Z2-7]{12}$/);
    assert.equal(a.secretAccessKey.length, 40);
    assert.notEqual(a.secretAccessKey, b.secretAccessKey);
  });
});
