/**
 * The S3 conformance battery (test/fixtures/s3-conformance-cases.ts) against the local store,
 * and the same cases against moto_server as a cross-check where moto is installed (skipped with
 * a message otherwise; cases where moto is known to differ from AWS say why and are skipped there).
 * Each case gets a fresh, empty bucket.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createRunCredentials } from '../../cloud/local/credentials';
import { startS3Server, type S3ServerHandle } from '../../cloud/local/s3';
import { CASES, type Target } from '../fixtures/s3-conformance-cases';
import { motoInstalled, startMoto, type MotoServer } from '../fixtures/moto-server';

const REGION = 'eu-west-3';

function clients(endpoint: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const make = (secretAccessKey: string) =>
    new S3Client({ endpoint, region, forcePathStyle: true, credentials: { ...credentials, secretAccessKey }, maxAttempts: 1 });
  return { s3: make(credentials.secretAccessKey), wrongSecret: make('w'.repeat(40)) };
}

function targetFor(endpoint: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const { s3, wrongSecret } = clients(endpoint, region, credentials);
  let n = 0;
  return {
    s3,
    wrongSecret,
    async fresh(): Promise<Target> {
      const bucket = `conformance-${process.pid}-${++n}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      return { s3, wrongSecret, bucket, endpoint, region, credentials };
    },
  };
}

describe('S3 conformance: the local store', () => {
  let dataDir: string;
  let server: S3ServerHandle;
  let target: ReturnType<typeof targetFor>;
  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3conf-'));
    const credentials = createRunCredentials();
    server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [] });
    target = targetFor(server.endpoint, REGION, credentials);
  });
  after(async () => {
    target?.s3.destroy();
    target?.wrongSecret.destroy();
    await server?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  for (const c of CASES) it(c.name, async () => c.run(await target.fresh()));
});

const motoSkip = motoInstalled() ? false : 'moto_server is not installed (pip install "moto[server]" to cross-check)';

describe('S3 conformance: the same cases against moto_server', { skip: motoSkip }, () => {
  let moto: MotoServer;
  let target: ReturnType<typeof targetFor>;
  before(async () => {
    moto = await startMoto();
    // moto checks no signature; us-east-1 is its home region.
    target = targetFor(moto.endpoint, 'us-east-1', { accessKeyId: 'AKIAMOTO', secretAccessKey: 'moto-secret' });
  });
  after(async () => {
    target?.s3.destroy();
    target?.wrongSecret.destroy();
    await moto?.close();
  });
  // HOSPUP_MOTO_ALL=1 runs the skipped cases too, to re-check that each stated divergence still holds.
  const runAll = process.env.HOSPUP_MOTO_ALL === '1';
  for (const c of CASES) it(c.name, { skip: c.moto && !runAll ? `moto differs from AWS: ${c.moto}` : false }, async () => c.run(await target.fresh()));
});
