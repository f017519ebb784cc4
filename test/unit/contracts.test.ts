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
import { join } from 'node:path';

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

test("host: what the real services return parses with the contract's result schemas", async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { createHostServices } = await import('../../electron/services/host-services');
  const dir = await mkdtemp(join(tmpdir(), 'hospup-contract-'));
  const host = createHostServices({ dataDir: join(dir, 'data'), exportDir: join(dir, 'out'), mode: 'web', version: 't', systemLocale: 'en', urls: { media: () => '' } });
  try {
    const opened = await host.createProject('Contract', '1:1');
    const results: [keyof typeof HOST_CONTRACT, unknown][] = [
      ['getAppInfo', await host.getAppInfo()],
      ['getSettings', await host.getSettings()],
      ['createProject', opened],
      ['openProject', await host.openProject(opened.project.id)],
      ['listProjects', await host.listProjects()],
      ['renameProject', await host.renameProject(opened.project.id, 'Renamed')],
      ['listTemplates', await host.listTemplates()],
      ['listLibrary', await host.listLibrary()],
      ['importPaths', await host.importPaths([join(dir, 'missing.mp4')])],
      ['estimateCost', await host.estimateCost(opened.project)],
      ['saveProject', await host.saveProject(opened.project)],
      ['listExports', await host.listExports()],
    ];
    for (const [method, result] of results) {
      const parsed = HOST_CONTRACT[method].result.safeParse(result);
      assert.ok(parsed.success, `${method}: ${JSON.stringify(!parsed.success && parsed.error.issues[0])}`);
    }
  } finally {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  }
});
