/**
 * Fuzz: the generation function's event handling (cloud/lambda/handler.ts) on hostile events
 * in both forms (direct, API Gateway `body`), against the real local S3 store (empty bucket)
 * and MediaConvert API. The handler never throws; it answers INVALID with each error naming
 * its field in plain words, or not_found for a job id nobody made; never an internal failure.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { createHandler, type GeneratorHandler } from '../../cloud/lambda/handler';
import { silentLogger } from '../../cloud/lambda/log';
import { createRunCredentials } from '../../cloud/local/credentials';
import { startMediaConvertServer, type MediaConvertServer } from '../../cloud/local/mediaconvert/server';
import { startS3Server, type S3ServerHandle } from '../../cloud/local/s3';
import { GeneratorFailure } from '../../shared/generator-contract';
import { FUZZ, hostileString, hostileValue, mutatedRequest, plainWords } from './arbitraries';

let dir: string;
let s3: S3ServerHandle;
let mc: MediaConvertServer;
let handler: GeneratorHandler;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-fuzz-lambda-'));
  const credentials = createRunCredentials();
  s3 = await startS3Server({ dataDir: dir, credentials, region: 'eu-west-1', buckets: ['hospup-videos'] });
  mc = await startMediaConvertServer({ region: 'eu-west-1', resolveS3: async () => { throw new Error('NoSuchKey'); }, storeS3: async () => {} });
  handler = createHandler(
    { bucket: 'hospup-videos', outputPrefix: 'generated-videos/', overlaysPrefix: 'overlays/', roleArn: 'arn:aws:iam::000000000000:role/HospupMediaConvert', region: 'eu-west-1', endpoints: { s3: s3.endpoint, mediaconvert: mc.endpoint } },
    { credentials, logger: silentLogger },
  );
});
after(async () => {
  await mc?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

const action = fc.oneof(fc.constantFrom('generate', 'status', 'cancel', undefined), hostileString);
const payload = fc.oneof(
  { weight: 4, arbitrary: mutatedRequest },
  { weight: 1, arbitrary: fc.record({ job_id: fc.oneof(hostileString, hostileValue) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const event = fc.oneof(
  // Direct invocation: the payload itself, with its action.
  fc.tuple(payload, action).map(([p, a]) => (typeof p === 'object' && p !== null && !Array.isArray(p) && a !== undefined ? { ...p, action: a } : p)),
  // API Gateway: a JSON (or not) body, maybe base64, maybe an action in the query string.
  fc.record({
    body: fc.oneof(payload.map((p) => JSON.stringify(p)), hostileString, payload),
    isBase64Encoded: fc.boolean(),
    queryStringParameters: fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ action })),
  }, { requiredKeys: ['body'] }).map((e) => (e.isBase64Encoded && typeof e.body === 'string' ? { ...e, body: Buffer.from(e.body).toString('base64') } : e)),
  fc.jsonValue({ maxDepth: 2 }),
);

test('the generation function answers hostile events by field, never with an internal failure or a stack', { timeout: Number(process.env.HOSPUP_FUZZ_RUNS ?? 200) * 100 + 60_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(event, async (input) => {
      const raw = await handler(input);
      const reply = (typeof raw === 'object' && raw !== null && 'body' in raw && typeof (raw as { body: unknown }).body === 'string' ? JSON.parse((raw as { body: string }).body) : raw) as unknown;
      const failure = GeneratorFailure.safeParse(reply);
      assert.ok(failure.success, `not a failure reply: ${JSON.stringify(reply).slice(0, 300)}`);
      const { status, error } = failure.data;
      assert.ok(plainWords(error.message), `not plain words: ${error.message}`);
      if (status === 'FAILED') {
        assert.equal(error.code, 'not_found', `an internal failure: ${error.message}`);
        return;
      }
      const eventIsObject = typeof input === 'object' && input !== null && !Array.isArray(input);
      for (const e of error.errors ?? []) {
        assert.ok(plainWords(e.message), `not plain words: ${e.path}: ${e.message}`);
        if (eventIsObject) assert.notEqual(e.path, '', `refused without naming a field: ${e.message}`);
      }
    }),
    { seed: FUZZ.seed, numRuns: FUZZ.numRuns, timeout: 10_000 },
  );
});
