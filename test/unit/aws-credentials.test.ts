// Credential resolution through the real SDK providers, against temporary
// AWS config/credentials files and a temporary SSO cache (no network).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CredentialProblem,
  defaultConfigPaths,
  explainCredentialError,
  listProfiles,
  resolveCredentials,
} from '../../electron/services/aws/credentials';

const KEY_ID = 'AKIAHOSPUPTEST000001';
const SECRET = 'hospupTestSecretKey0000000000000000000000';
let home: string;
const saved: Record<string, string | undefined> = {};
const ENV_KEYS = ['HOME', 'USERPROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION'];

before(() => {
  home = mkdtempSync(join(tmpdir(), 'hospup-aws-creds-'));
  for (const k of ENV_KEYS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  // The SDK finds ~/.aws/sso/cache through HOME; keep the real home out of the test.
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');

  const procScript = join(home, 'cred-proc.cjs');
  writeFileSync(procScript, `process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'AKIAHOSPUPPROCESS001',SecretAccessKey:'procSecret000000000000000000000000000000',SessionToken:'procToken'}));`);
  writeFileSync(process.env.AWS_CONFIG_FILE, [
    '# hotel group IT config',
    '[default]',
    'region = eu-west-1',
    '',
    '[profile static]',
    'region = eu-west-3',
    '',
    '[profile tool]',
    `credential_process = "${process.execPath}" "${procScript}"`,
    '',
    '[profile broken-tool]',
    `credential_process = "${process.execPath}" -e "process.exit(3)"`,
    '',
    '[profile sso-expired]',
    'sso_session = corp',
    'sso_account_id = 111122223333',
    'sso_role_name = HospupExport',
    'region = eu-west-1',
    '',
    '[profile sso-never]',
    'sso_session = other',
    'sso_account_id = 111122223333',
    'sso_role_name = HospupExport',
    '',
    '[profile legacy-sso]',
    'sso_start_url = https://legacy.awsapps.com/start',
    'sso_region = eu-west-1',
    'sso_account_id = 111122223333',
    'sso_role_name = HospupExport',
    '',
    '[profile admin]',
    'role_arn = arn:aws:iam::111122223333:role/Admin',
    'source_profile = static',
    's3 =',
    '  max_concurrent_requests = 4',
    '',
    '[sso-session corp]',
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_region = eu-west-1',
    '',
    '[sso-session other]',
    'sso_start_url = https://other.awsapps.com/start',
    'sso_region = eu-west-1',
    '',
  ].join('\n'));
  writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, [
    '[static]',
    `aws_access_key_id = ${KEY_ID}`,
    `aws_secret_access_key = ${SECRET}`,
    '',
    '[keys-only]',
    'aws_access_key_id = AKIAHOSPUPKEYSONLY01',
    'aws_secret_access_key = keysOnlySecret00000000000000000000000000',
  ].join('\n'));

  // `aws sso login` cache: file named by sha1 of the session name, token expired an hour ago.
  const cache = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
  writeFileSync(join(cache, `${sha1('corp')}.json`), JSON.stringify({
    startUrl: 'https://corp.awsapps.com/start',
    region: 'eu-west-1',
    accessToken: 'expired-token',
    expiresAt: new Date(Date.now() - 3600_000).toISOString(),
  }));
});

after(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(home, { recursive: true, force: true });
});

test('config paths honour AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
  assert.deepEqual(defaultConfigPaths(), { configFile: join(home, 'config'), credentialsFile: join(home, 'credentials') });
  assert.deepEqual(defaultConfigPaths({ HOME: '/h' }), { configFile: '/h/.aws/config', credentialsFile: '/h/.aws/credentials' });
});

test('listProfiles reads both files, knows each kind, skips sso-session sections, default first', () => {
  const profiles = listProfiles();
  assert.deepEqual(profiles.map((p) => p.name),
    ['default', 'admin', 'broken-tool', 'keys-only', 'legacy-sso', 'sso-expired', 'sso-never', 'static', 'tool']);
  const by = Object.fromEntries(profiles.map((p) => [p.name, p]));
  assert.equal(by.static.kind, 'keys');
  assert.deepEqual(by.static.definedIn, ['config', 'credentials']);
  assert.equal(by.static.region, 'eu-west-3');
  assert.equal(by['keys-only'].kind, 'keys');
  assert.equal(by.tool.kind, 'credential-process');
  assert.equal(by['sso-expired'].kind, 'sso');
  assert.equal(by['legacy-sso'].kind, 'sso');
  assert.equal(by.admin.kind, 'assume-role');
  assert.equal(by.default.kind, 'other');
  assert.ok(!JSON.stringify(profiles).includes(SECRET), 'profile listing never carries secrets');
});

test('listProfiles with explicit paths and missing files', () => {
  assert.deepEqual(listProfiles({ configFile: join(home, 'nope'), credentialsFile: join(home, 'nope2') }), []);
});

test('profile with static keys (credentials file)', async () => {
  const c = await resolveCredentials({ kind: 'profile', profile: 'static' });
  assert.equal(c.accessKeyId, KEY_ID);
  assert.equal(c.secretAccessKey, SECRET);
});

test('profile with credential_process runs the process', async () => {
  const c = await resolveCredentials({ kind: 'profile', profile: 'tool' });
  assert.equal(c.accessKeyId, 'AKIAHOSPUPPROCESS001');
  assert.equal(c.sessionToken, 'procToken');
});

test('a failing credential_process is reported plainly', async () => {
  await assert.rejects(resolveCredentials({ kind: 'profile', profile: 'broken-tool' }), (e: unknown) => {
    assert.ok(e instanceof CredentialProblem);
    assert.equal(e.code, 'process-failed');
    assert.match(e.message, /^The credential_process of AWS profile "broken-tool" failed/);
    return true;
  });
});

test('unknown profile names the profile', async () => {
  await assert.rejects(resolveCredentials({ kind: 'profile', profile: 'hotel-typo' }), (e: unknown) => {
    assert.ok(e instanceof CredentialProblem);
    assert.equal(e.code, 'profile-not-found');
    assert.match(e.message, /"hotel-typo" does not exist/);
    return true;
  });
});

test('SSO profile with an expired cached token: plain message with the login command', async () => {
  await assert.rejects(resolveCredentials({ kind: 'profile', profile: 'sso-expired' }), (e: unknown) => {
    assert.ok(e instanceof CredentialProblem);
    assert.equal(e.code, 'sso-expired');
    assert.equal(e.command, 'aws sso login --profile sso-expired');
    assert.match(e.message, /has expired\. Sign in again with: aws sso login --profile sso-expired$/);
    return true;
  });
});

test('SSO profile never logged in (no cached token): login command', async () => {
  for (const profile of ['sso-never', 'legacy-sso']) {
    await assert.rejects(resolveCredentials({ kind: 'profile', profile }), (e: unknown) => {
      assert.ok(e instanceof CredentialProblem, String(e));
      assert.equal(e.code, 'sso-not-logged-in', `${profile}: ${(e as Error).message}`);
      assert.equal(e.command, `aws sso login --profile ${profile}`);
      return true;
    });
  }
});

test('environment variables', async () => {
  await assert.rejects(resolveCredentials({ kind: 'env' }), (e: unknown) => {
    assert.ok(e instanceof CredentialProblem);
    assert.equal(e.code, 'no-env-credentials');
    assert.match(e.message, /AWS_ACCESS_KEY_ID/);
    return true;
  });
  process.env.AWS_ACCESS_KEY_ID = 'AKIAHOSPUPENVIRON001';
  process.env.AWS_SECRET_ACCESS_KEY = 'envSecret0000000000000000000000000000000';
  try {
    const c = await resolveCredentials({ kind: 'env' });
    assert.equal(c.accessKeyId, 'AKIAHOSPUPENVIRON001');
  } finally {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  }
});

test('app keys without a store or saved keys say where to enter them', async () => {
  await assert.rejects(resolveCredentials({ kind: 'app-keys' }), /No access keys are saved in the app/);
});

test('error explanation redacts key material from SDK messages', () => {
  const p = explainCredentialError(new Error(`bad thing with ${KEY_ID} secret=${SECRET}`), { kind: 'default' });
  assert.equal(p.code, 'unknown');
  assert.ok(!p.message.includes(KEY_ID) && !p.message.includes(SECRET), p.message);
  const u = explainCredentialError(Object.assign(new Error('Session token not found or invalid'), { name: 'UnauthorizedException' }),
    { kind: 'profile', profile: 'hotel sso' });
  assert.equal(u.code, 'sso-expired');
  assert.equal(u.command, `aws sso login --profile 'hotel sso'`);
});
