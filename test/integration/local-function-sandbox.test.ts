// The local generation function runs in its own thread and does its init phase (modules, SDK
// clients, fonts, the caption renderer's first run) as soon as the local cloud starts, before
// any request: an export's first caption no longer pays the cold start on its critical path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startLocalCloud } from '../../cloud/local';
import { startFunctionSandbox } from '../../cloud/local/function-sandbox';

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the function initialises when the local cloud starts, before any request, and then answers requests', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-sandbox-'));
  const lines: { message: string; init_ms?: number; request_id?: string }[] = [];
  const cloud = await startLocalCloud({ dataDir: dir, log: (line) => lines.push(JSON.parse(line)) });
  try {
    await until(() => lines.some((l) => l.message === 'init'), 30_000);
    assert.deepEqual(lines.map((l) => l.message), ['init'], 'the init phase ended, and nothing was asked of the function');
    assert.ok(lines[0].init_ms! > 0);

    const { config } = cloud;
    const lambda = new LambdaClient({ region: config.region, endpoint: config.endpoints.lambda, credentials: config });
    const response = await lambda.send(new InvokeCommand({ FunctionName: config.functionName, Payload: Buffer.from(JSON.stringify({ action: 'status', job_id: 'no-such-job' })) }));
    const reply = JSON.parse(Buffer.from(response.Payload!).toString());
    assert.equal(reply.error?.code, 'not_found', JSON.stringify(reply));
    assert.ok(lines.some((l) => l.message === 'failed' && l.request_id === response.$metadata.requestId), 'its log lines reach the local cloud\'s log');
  } finally {
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  }
});

for (const [why, workerFile] of [['its file is missing', join(tmpdir(), 'hospup-no-such-worker.mjs')], ['the thread cannot even be created', 'not/an/absolute/path.mjs']]) test(`where no worker thread can start (${why}), the function runs on the main thread instead, and the log says so`, async () => {
  const lines: { level: string; message: string }[] = [];
  const sandbox = startFunctionSandbox({
    config: { bucket: 'hospup-videos', outputPrefix: 'generated-videos/', overlaysPrefix: 'overlays/', roleArn: 'arn:aws:iam::123456789012:role/HospupMediaConvert', region: 'eu-west-1', endpoints: {} },
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
  }, (line) => lines.push(JSON.parse(line)), { workerFile });
  try {
    const reply = await sandbox.invoke({ property_id: '1', template_id: 't', segments: [] }, { awsRequestId: 'r-1', functionName: 'f', getRemainingTimeInMillis: () => 60_000 }) as { status: string; error: { message: string } };
    assert.equal(reply.status, 'INVALID', JSON.stringify(reply));
    assert.match(reply.error.message, /segments/);
    assert.ok(lines.some((l) => l.level === 'warn' && /no worker thread/.test(l.message)), JSON.stringify(lines));
  } finally {
    await sandbox.close();
  }
  await assert.rejects(sandbox.invoke({}, { awsRequestId: 'r-2', functionName: 'f', getRemainingTimeInMillis: () => 60_000 }), /closed/);
});
