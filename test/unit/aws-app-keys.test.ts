// In-app access keys: encrypted at rest with a real AES-256-GCM SecretStore,
// refused when the backend offers no real encryption, never readable on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppKeysError, AppKeysStore, type SecretStore } from '../../electron/services/aws/app-keys';
import { CredentialProblem, resolveCredentials } from '../../electron/services/aws/credentials';
import { maskAccessKeyId, redactObject, redactText } from '../../electron/services/aws/redact';

const KEYS = { accessKeyId: 'AKIAHOSPUPAPPKEY0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYHOSPUPKEY1' };

/** What Electron's safeStorage does on a machine with a keyring, with a key held in memory. */
function aesGcmStore(key = randomBytes(32)): SecretStore {
  return {
    isEncryptionAvailable: () => ({ ok: true }),
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(blob) {
      const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** safeStorage on Linux without a keyring: backend "basic_text", a hard-coded key. */
const basicTextStore: SecretStore = {
  isEncryptionAvailable: () => ({ ok: false, reason: 'the system keyring is not available (safeStorage backend basic_text)' }),
  encrypt: () => { throw new Error('must not be called'); },
  decrypt: () => { throw new Error('must not be called'); },
};

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'hospup-keys-')), 'aws-keys.json');

test('saved keys are encrypted at rest and resolve as credentials', async () => {
  const file = tempFile();
  const store = new AppKeysStore({ file, secrets: aesGcmStore() });
  store.save(KEYS);
  const disk = readFileSync(file, 'utf8');
  assert.ok(!disk.includes(KEYS.accessKeyId), 'key id not on disk');
  assert.ok(!disk.includes(KEYS.secretAccessKey), 'secret not on disk');
  assert.ok(!disk.includes('AKIA'), 'not even the key id prefix');
  assert.deepEqual(Object.keys(JSON.parse(disk)).sort(), ['ciphertext', 'savedAt', 'version']);
  assert.equal(statSync(file).mode & 0o077, 0, 'settings file readable by its owner only');
  assert.deepEqual(readdirSync(join(file, '..')), ['aws-keys.json'], 'no temporary file left behind');

  assert.deepEqual(store.load(), KEYS);
  assert.deepEqual(store.describe(), { stored: true, accessKeyId: 'AKIA…0001' });
  const creds = await resolveCredentials({ kind: 'app-keys' }, { appKeys: store });
  assert.equal(creds.accessKeyId, KEYS.accessKeyId);
  assert.equal(creds.secretAccessKey, KEYS.secretAccessKey);

  store.clear();
  assert.equal(existsSync(file), false);
  assert.equal(store.load(), undefined);
  assert.deepEqual(store.describe(), { stored: false });
});

test('refuses to store keys without a real encryption backend, and writes nothing', () => {
  const file = tempFile();
  const store = new AppKeysStore({ file, secrets: basicTextStore });
  assert.match(store.unavailableReason()!, /basic_text/);
  assert.throws(() => store.save(KEYS), (e: unknown) => {
    assert.ok(e instanceof AppKeysError);
    assert.equal(e.code, 'encryption-unavailable');
    assert.match(e.message, /not saved: this computer offers no secure storage \(the system keyring is not available/);
    assert.ok(!e.message.includes(KEYS.secretAccessKey));
    return true;
  });
  assert.equal(existsSync(file), false);
});

test('keys saved under another OS key cannot be read back; the app asks to enter them again', async () => {
  const file = tempFile();
  new AppKeysStore({ file, secrets: aesGcmStore() }).save(KEYS);
  const other = new AppKeysStore({ file, secrets: aesGcmStore() });
  assert.throws(() => other.load(), /cannot be decrypted .* Enter them again/);
  await assert.rejects(resolveCredentials({ kind: 'app-keys' }, { appKeys: other }), (e: unknown) => {
    assert.ok(e instanceof CredentialProblem);
    assert.equal(e.code, 'unreadable-keys');
    return true;
  });
});

test('invalid keys are rejected with the field name', () => {
  const store = new AppKeysStore({ file: tempFile(), secrets: aesGcmStore() });
  assert.throws(() => store.save({ ...KEYS, accessKeyId: 'akia lower' }), /^AppKeysError: accessKeyId: must be/);
  assert.throws(() => store.save({ ...KEYS, secretAccessKey: 'short' }), /secretAccessKey: must be/);
  // Pasted with spaces around is fine.
  store.save({ accessKeyId: ` ${KEYS.accessKeyId} `, secretAccessKey: `${KEYS.secretAccessKey}\n` });
  assert.deepEqual(store.load(), KEYS);
});

test('redaction: logs never carry key ids or secrets', () => {
  assert.equal(maskAccessKeyId(KEYS.accessKeyId), 'AKIA…0001');
  const line = `invoke failed for ${KEYS.accessKeyId} aws_secret_access_key = ${KEYS.secretAccessKey}`;
  const red = redactText(line);
  assert.ok(!red.includes(KEYS.accessKeyId) && !red.includes(KEYS.secretAccessKey), red);
  assert.match(red, /AKIA…0001/);
  assert.equal(redactText(`token is ${KEYS.secretAccessKey}`, [KEYS.secretAccessKey]), 'token is [redacted]');

  const obj = redactObject({
    settings: { region: 'eu-west-1', credentials: KEYS },
    headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAHOSPUPAPPKEY0001/...' },
    error: new Error(`denied for ${KEYS.accessKeyId}`),
    sessionToken: 'abc',
  });
  const text = JSON.stringify(obj);
  assert.ok(!text.includes(KEYS.accessKeyId) && !text.includes(KEYS.secretAccessKey), text);
  assert.equal(obj.settings.region, 'eu-west-1');
  assert.equal(obj.sessionToken, '[redacted]');
  assert.match(text, /denied for AKIA…0001/);
});
