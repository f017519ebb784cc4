import { randomBytes, randomInt } from 'node:crypto';

/** Access key pair that only exists for one run of the local cloud. */
export interface RunCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Fresh random credentials for one run of the local cloud. The key id looks like an AWS one
 * (20 upper-case characters, prefix `HSPLOCAL` so it is recognisable in logs) and the secret
 * is 40 characters, like AWS secrets, so tools that validate shapes accept them.
 */
export function createRunCredentials(): RunCredentials {
  let suffix = '';
  for (let i = 0; i < 12; i++) suffix += KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)];
  // 30 random bytes -> exactly 40 base64 characters; '+' and '/' are legal in AWS secrets.
  const secretAccessKey = randomBytes(30).toString('base64');
  return { accessKeyId: `HSPLOCAL${suffix}`, secretAccessKey };
}
