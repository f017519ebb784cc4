// Access keys typed into the app: stored only as ciphertext produced by a
// SecretStore (Electron safeStorage in the desktop app), never in clear.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskAccessKeyId } from './redact';

export type EncryptionAvailability = { ok: true } | { ok: false; reason: string };

/** Encrypts small strings with an OS-backed key. The Electron adapter wraps safeStorage. */
export interface SecretStore {
  isEncryptionAvailable(): EncryptionAvailability;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface AppKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export class AppKeysError extends Error {
  constructor(
    message: string,
    readonly code: 'encryption-unavailable' | 'invalid-keys' | 'unreadable',
  ) {
    super(message);
    this.name = 'AppKeysError';
  }
}

interface StoredFile {
  version: 1;
  /** base64 of SecretStore.encrypt(JSON.stringify(AppKeys)); nothing else is stored. */
  ciphertext: string;
  savedAt: string;
}

const KEY_ID_SHAPE = /^[A-Z0-9]{16,128}$/;
const SECRET_SHAPE = /^[A-Za-z0-9/+=]{16,128}$/;

/** Checks what a person typed, naming the field that is wrong. */
export function validateAppKeys(keys: AppKeys): AppKeys {
  const accessKeyId = keys.accessKeyId?.trim() ?? '';
  const secretAccessKey = keys.secretAccessKey?.trim() ?? '';
  const sessionToken = keys.sessionToken?.trim() || undefined;
  if (!KEY_ID_SHAPE.test(accessKeyId)) {
    throw new AppKeysError('accessKeyId: must be an AWS access key id (20 capital letters and digits, like AKIA...)', 'invalid-keys');
  }
  if (!SECRET_SHAPE.test(secretAccessKey)) {
    throw new AppKeysError('secretAccessKey: must be the 40-character secret shown when the key was created', 'invalid-keys');
  }
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

export class AppKeysStore {
  private readonly file: string;
  private readonly secrets: SecretStore;

  constructor(opts: { file: string; secrets: SecretStore }) {
    this.file = opts.file;
    this.secrets = opts.secrets;
  }

  /** Why keys cannot be saved on this machine, or null when they can. */
  unavailableReason(): string | null {
    const a = this.secrets.isEncryptionAvailable();
    return a.ok ? null : a.reason;
  }

  /** Encrypts and saves; refuses (never falls back to clear text) without a real encryption backend. */
  save(keys: AppKeys): void {
    const reason = this.unavailableReason();
    if (reason !== null) {
      throw new AppKeysError(
        `Access keys were not saved: this computer offers no secure storage (${reason}). ` +
          'Use an AWS profile instead (aws configure or aws sso login), or set up the system keyring.',
        'encryption-unavailable',
      );
    }
    const valid = validateAppKeys(keys);
    const body: StoredFile = {
      version: 1,
      ciphertext: this.secrets.encrypt(JSON.stringify(valid)).toString('base64'),
      savedAt: new Date().toISOString(),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /** The saved keys, or undefined when none are saved. */
  load(): AppKeys | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const reason = this.unavailableReason();
    if (reason !== null) {
      throw new AppKeysError(`Saved access keys cannot be read: secure storage is unavailable (${reason}).`, 'encryption-unavailable');
    }
    try {
      const stored = JSON.parse(raw) as StoredFile;
      return validateAppKeys(JSON.parse(this.secrets.decrypt(Buffer.from(stored.ciphertext, 'base64'))) as AppKeys);
    } catch {
      throw new AppKeysError(
        'Saved access keys cannot be decrypted (they were saved by another user or computer). Enter them again.',
        'unreadable',
      );
    }
  }

  /** What the settings screen may show: whether keys are saved and a masked key id. */
  describe(): { stored: false } | { stored: true; accessKeyId: string } {
    const keys = this.load();
    return keys ? { stored: true, accessKeyId: maskAccessKeyId(keys.accessKeyId) } : { stored: false };
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
