// The two contracts, each written once: the host API table and the generator's events and
// replies. Everything else derives from them; these tests hold the derivations to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOST_CONTRACT, HOST_METHODS } from '../../shared/api';
import { ERROR_CODES, statusForCode } from '../../shared/errors';
import { parseGeneratorReply } from '../../shared/generator-contract';
import { validateArgs } from '../../electron/services/host-call';
import { jsonMethods } from '../../renderer/src/host/rpc-methods';
import { createHandler } from '../../cloud/lambda/handler';

test('host: the client stubs are exactly the contract methods, and validation names the contract parameters', async () => {
  const calls: [string, unknown[]][] = [];
  const api = jsonMethods(async (method, args) => void calls.push([method, args]));
  assert.deepEqual(Object.keys(api).sort(), [...HOST_METHODS].sort());
  await api.createProject('Spa', undefined);
  assert.deepEqual(calls, [['createProject', ['Spa']]], 'a trailing undefined is not sent (JSON would make it null)');
  for (const method of HOST_METHODS) {
    const { params, args } = HOST_CONTRACT[method];
    const items = (args as unknown as { def: { items: unknown[] } }).def.items;
    assert.equal(params.length, items.length, `${method}: one name per argument`);
  }
  assert.throws(() => validateArgs('renameProject', ['p1', 42]), (err: Error & { code?: string; field?: string }) => err.code === 'invalid-argument' && err.field === 'name' && /renameProject/.test(err.message));
});

test('errors: one code set; user mistakes answer 4xx, only our own failures 5xx', () => {
  for (const [code, { status, userFixable }] of Object.entries(ERROR_CODES)) {
    assert.equal(statusForCode(code), status);
    if (userFixable && code !== 'disk-full') assert.ok(status >= 400 && status < 500, `${code} is the user's to fix but answers ${status}`);
  }
  assert.equal(statusForCode('made-up'), 500);
});

test("generator: the handler answers with the contract's shapes, and a reply outside it is recognised", async () => {
  const handler = createHandler(
    { region: 'eu-west-1', bucket: 'b', outputPrefix: 'o/', overlaysPrefix: 'ov/', roleArn: 'arn:aws:iam::1:role/r', endpoints: {} } as never,
    { logger: { info() {}, warn() {}, error() {}, child() { return this; } } as never },
  );
  const invalid = parseGeneratorReply('generate', await handler({ action: 'generate', property_id: '1', template_id: 't', segments: [] }));
  assert.ok(!invalid.ok && 'failure' in invalid && invalid.failure.status === 'INVALID');
  assert.equal(invalid.failure.error.errors?.[0].path, 'segments');
  const noJob = parseGeneratorReply('status', await handler({ action: 'status' }));
  assert.ok(!noJob.ok && 'failure' in noJob);
  assert.equal(noJob.failure.error.errors?.[0].path, 'job_id');
  const wrong = parseGeneratorReply('status', { job_id: 'j', status: 'DONE', phase: 'x', percent: 1 });
  assert.ok(!wrong.ok && 'mismatch' in wrong && /status/.test(wrong.mismatch));
  const good = parseGeneratorReply('cancel', { job_id: 'j', status: 'CANCELED' });
  assert.ok(good.ok && good.reply.job_id === 'j');
});
