/**
 * The SecretStore of the desktop app, over Electron's safeStorage (Keychain, DPAPI,
 * libsecret/kwallet). On Linux without a keyring safeStorage silently falls back to
 * `basic_text`, a hard-coded key, which is no encryption at all: refuse in that case (TRAPS).
 * Call after `app` is ready (the Linux backend is chosen then).
 */
import { safeStorage } from 'electron';
import type { EncryptionAvailability, SecretStore } from './services/aws/app-keys';

export function createSafeStorageSecretStore(platform: NodeJS.Platform = process.platform): SecretStore {
  const availability = (): EncryptionAvailability => {
    if (!safeStorage.isEncryptionAvailable()) {
      return { ok: false, reason: 'This computer offers no encryption for saved passwords, so keys typed in the app cannot be stored safely. Use an AWS profile instead.' };
    }
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') {
        return {
          ok: false,
          reason:
            'No desktop keyring (GNOME Keyring or KWallet) is running, so keys typed in the app would be stored with a fixed, public key. Start a keyring or use an AWS profile instead.',
        };
      }
    }
    return { ok: true };
  };

  const requireAvailable = () => {
    const state = availability();
    if (!state.ok) throw Object.assign(new Error(state.reason), { code: 'encryption-unavailable' });
  };

  return {
    isEncryptionAvailable: availability,
    encrypt(plain) {
      requireAvailable();
      return safeStorage.encryptString(plain);
    },
    decrypt(cipher) {
      requireAvailable();
      return safeStorage.decryptString(cipher);
    },
  };
}
