import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCfnTemplate } from '../../cloud/local/iam/cfn-yaml';
import {
  artifactsBucketName,
  checkParameters,
  formatOutputs,
  keptParameters,
  parseDeployArgs,
  planDeployment,
  TEMPLATE_PATH,
  UsageError,
} from '../../scripts/deploy';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const template = loadCfnTemplate(TEMPLATE_PATH);

test('arguments: required flags, values, errors that name the flag', () => {
  const o = parseDeployArgs(['--stack', 'hospup', '--region=eu-west-1', '--profile', 'it-admin', '--bucket-name', 'hospup-videos',
    '--param', 'ReservedConcurrency=5', '--dry-run']);
  assert.deepEqual(o, {
    stack: 'hospup', region: 'eu-west-1', profile: 'it-admin', dryRun: true,
    parameters: { BucketName: 'hospup-videos', ReservedConcurrency: '5' },
  });
  assert.deepEqual(parseDeployArgs(['--stack', 'hospup', '--region', 'eu-west-1', '--existing-bucket', 'hospup-videos']).parameters,
    { ExistingBucketName: 'hospup-videos' });
  assert.throws(() => parseDeployArgs(['--region', 'eu-west-1']), /^UsageError: --stack: required/);
  assert.throws(() => parseDeployArgs(['--stack', 'hospup']), /--region: required/);
  assert.throws(() => parseDeployArgs(['--stack', 'hospup', '--region', 'Ireland']), /--region: "Ireland" is not an AWS region code/);
  assert.throws(() => parseDeployArgs(['--stack', '1bad', '--region', 'eu-west-1']), /--stack: "1bad" is not a stack name/);
  assert.throws(() => parseDeployArgs(['--stack', 'h', '--region', 'eu-west-1', '--profile']), /--profile: needs a value/);
  assert.throws(() => parseDeployArgs(['--stack', 'h', '--region', 'eu-west-1', '--param', 'x']), /--param: expected Key=Value/);
  assert.throws(() => parseDeployArgs(['--stack', 'h', '--region', 'eu-west-1', '--force']), /unknown option --force/);
});

test('parameters are checked against the template before any AWS call', () => {
  const bad = (p: Record<string, string>) => () => checkParameters(template, p);
  assert.throws(bad({ BucketName: 'Hospup_Videos' }), (e: unknown) => e instanceof UsageError && /--param BucketName: "Hospup_Videos" is not allowed/.test(e.message));
  assert.throws(bad({ LogRetentionDays: '10' }), /LogRetentionDays: must be one of 1, 3, 5/);
  assert.throws(bad({ OverlaysExpirationDays: '0' }), /OverlaysExpirationDays: must be at least 1/);
  assert.throws(bad({ ReservedConcurrency: 'many' }), /ReservedConcurrency: must be a number/);
  assert.throws(bad({ CodeS3Key: 'x.zip' }), /set by deploy itself/);
  assert.throws(bad({ Colour: 'red' }), /the template has no such parameter/);
  checkParameters(template, { BucketName: 'hospup-videos', LogRetentionDays: '90', ReservedConcurrency: '0' });
});

test('plan: content-addressed code key in the per-account artifacts bucket, IAM capability', () => {
  const opts = parseDeployArgs(['--stack', 'hospup', '--region', 'eu-west-3']);
  const plan = planDeployment(opts, { zipPath: '/x.zip', zipBytes: 10, sha256: 'ab'.repeat(32) }, '111122223333');
  assert.equal(plan.artifactsBucket, 'hospup-artifacts-111122223333-eu-west-3');
  assert.equal(artifactsBucketName('1', 'us-east-1'), 'hospup-artifacts-1-us-east-1');
  assert.equal(plan.codeKey, `hospup-generator/${'ab'.repeat(32)}.zip`);
  assert.deepEqual(plan.parameters, [
    { ParameterKey: 'CodeS3Bucket', ParameterValue: 'hospup-artifacts-111122223333-eu-west-3' },
    { ParameterKey: 'CodeS3Key', ParameterValue: `hospup-generator/${'ab'.repeat(32)}.zip` },
  ]);
  assert.deepEqual(plan.capabilities, ['CAPABILITY_IAM']);
  assert.ok(plan.artifactsBucket.length <= 63);
});

test('update keeps the stack\'s current values for parameters not given; new parameters take defaults', () => {
  const previous = { BucketName: 'hospup-videos', CodeS3Bucket: 'old', CodeS3Key: 'old.zip', LogRetentionDays: '90' };
  const given = [{ ParameterKey: 'CodeS3Bucket' }, { ParameterKey: 'CodeS3Key' }, { ParameterKey: 'ReservedConcurrency' }];
  assert.deepEqual(keptParameters(template, given, previous), [
    { ParameterKey: 'BucketName', ParameterValue: 'hospup-videos' },
    { ParameterKey: 'LogRetentionDays', ParameterValue: '90' },
  ]);
});

test('outputs are printed as the app settings to enter', () => {
  const text = formatOutputs({ BucketName: 'b1', FunctionName: 'f1', Region: 'eu-west-1', UserPolicyArn: 'arn:aws:iam::1:policy/p' }, 'eu-west-1');
  assert.match(text, /Bucket\s+b1/);
  assert.match(text, /Function name\s+f1/);
  assert.match(text, /attach-user-policy --user-name NAME --policy-arn arn:aws:iam::1:policy\/p/);
});

test('--dry-run builds and prints the plan without a single AWS request', { timeout: 60_000 }, async () => {
  // Every AWS endpoint points at this server; any request it sees is a failure.
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/deploy.ts'),
      '--stack', 'hospup-test', '--region', 'eu-west-1', '--bucket-name', 'hospup-videos', '--dry-run'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: '/nonexistent',
        AWS_ENDPOINT_URL: endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ACCESS_KEY_ID: 'AKIAHOSPUPDRYRUN0001',
        AWS_SECRET_ACCESS_KEY: 'dryRunSecret000000000000000000000000000000',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 0, out);
    assert.match(out, /Deploy plan:/);
    assert.match(out, /ensure artifacts bucket s3:\/\/hospup-artifacts-<account-id>-eu-west-1/);
    assert.match(out, /CodeS3Key\s+hospup-generator\/[0-9a-f]{64}\.zip/);
    assert.match(out, /BucketName\s+hospup-videos/);
    assert.match(out, /LogRetentionDays\s+30 \(template default/);
    assert.match(out, /--dry-run: no AWS call was made/);
    assert.deepEqual(requests, []);
  } finally {
    server.close();
  }
});
