import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { parseRange, serveFileRange } from '../../electron/services/media-range';

const SIZE = 1000;
// Every byte differs from its neighbours, so an off-by-one shows up in the comparison.
const CONTENT = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7 + 3) % 251));

let dir: string;
let file: string;
let empty: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-range-'));
  file = join(dir, 'clip.mp4');
  empty = join(dir, 'empty.mp4');
  await writeFile(file, CONTENT);
  await writeFile(empty, Buffer.alloc(0));
});
after(() => rm(dir, { recursive: true, force: true }));

async function readAll(body: Readable | undefined): Promise<Buffer> {
  assert.ok(body, 'expected a body');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function expectPartial(range: string, start: number, end: number) {
  const res = await serveFileRange(file, range, 'video/mp4');
  assert.equal(res.status, 206, range);
  assert.equal(res.headers['Content-Range'], `bytes ${start}-${end}/${SIZE}`);
  assert.equal(res.headers['Content-Length'], String(end - start + 1));
  assert.equal(res.headers['Accept-Ranges'], 'bytes');
  assert.equal(res.headers['Content-Type'], 'video/mp4');
  const bytes = await readAll(res.body);
  assert.deepEqual(bytes, CONTENT.subarray(start, end + 1), `bytes of ${range}`);
}

async function expectUnsatisfiable(path: string, range: string, size: number) {
  const res = await serveFileRange(path, range, 'video/mp4');
  assert.equal(res.status, 416, range);
  assert.equal(res.headers['Content-Range'], `bytes */${size}`);
  assert.equal(res.body, undefined);
}

describe('serveFileRange', () => {
  test('no Range header: 200 with the whole file and Accept-Ranges', async () => {
    const res = await serveFileRange(file, undefined, 'video/mp4');
    assert.equal(res.status, 200);
    assert.equal(res.headers['Content-Length'], String(SIZE));
    assert.equal(res.headers['Accept-Ranges'], 'bytes');
    assert.equal(res.headers['Content-Range'], undefined);
    assert.deepEqual(await readAll(res.body), CONTENT);
  });

  test('bytes=a-b: inclusive range, exact bytes', async () => {
    await expectPartial('bytes=0-99', 0, 99);
    await expectPartial('bytes=100-100', 100, 100);
    await expectPartial('bytes=250-749', 250, 749);
    await expectPartial('bytes=999-999', 999, 999);
  });

  test('bytes=a-b with b past the end is clamped to the last byte', async () => {
    await expectPartial('bytes=900-5000', 900, 999);
  });

  test('bytes=a-: from a to the end', async () => {
    await expectPartial('bytes=0-', 0, 999);
    await expectPartial('bytes=600-', 600, 999);
    await expectPartial('bytes=999-', 999, 999);
  });

  test('bytes=-n: the last n bytes; n larger than the file gives all of it', async () => {
    await expectPartial('bytes=-1', 999, 999);
    await expectPartial('bytes=-100', 900, 999);
    await expectPartial('bytes=-5000', 0, 999);
  });

  test('whitespace and case are tolerated', async () => {
    await expectPartial('Bytes = 10 - 19', 10, 19);
  });

  test('416 with bytes */size when the range starts past the end or is empty', async () => {
    await expectUnsatisfiable(file, 'bytes=1000-', SIZE);
    await expectUnsatisfiable(file, 'bytes=1000-2000', SIZE);
    await expectUnsatisfiable(file, 'bytes=-0', SIZE);
    await expectUnsatisfiable(empty, 'bytes=0-', 0);
    await expectUnsatisfiable(empty, 'bytes=-10', 0);
  });

  test('headers it cannot use are ignored: 200 with the whole file', async () => {
    for (const header of ['items=0-10', 'bytes=0-1,5-6', 'bytes=abc', 'bytes=50-10', 'bytes=-', '']) {
      const res = await serveFileRange(file, header, 'video/mp4');
      assert.equal(res.status, 200, header);
      assert.deepEqual(await readAll(res.body), CONTENT, header);
    }
  });

  test('missing file or a directory: 404', async () => {
    assert.equal((await serveFileRange(join(dir, 'nope.mp4'), undefined, 'video/mp4')).status, 404);
    assert.equal((await serveFileRange(dir, 'bytes=0-1', 'video/mp4')).status, 404);
  });

  test('withBody false (HEAD) gives the headers and opens no stream', async () => {
    const res = await serveFileRange(file, 'bytes=10-19', 'video/mp4', { withBody: false });
    assert.equal(res.status, 206);
    assert.equal(res.headers['Content-Length'], '10');
    assert.equal(res.body, undefined);
  });

  test('empty file without Range: 200, zero bytes', async () => {
    const res = await serveFileRange(empty, undefined, 'video/mp4');
    assert.equal(res.status, 200);
    assert.equal(res.headers['Content-Length'], '0');
    assert.equal((await readAll(res.body)).length, 0);
  });
});

describe('parseRange', () => {
  test('returns inclusive bounds, unsatisfiable or ignore', () => {
    assert.deepEqual(parseRange('bytes=5-9', 10), { start: 5, end: 9 });
    assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange(undefined, 10), 'ignore');
    assert.equal(parseRange('bytes=9-5', 10), 'ignore');
  });
});
