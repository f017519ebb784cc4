// Keeps AWS secrets out of logs, error reports and project files.

const SECRET_KEY_NAME = /secret|token|password|credential|authorization|signature/i;
const ACCESS_KEY_NAME = /^(aws_?)?access_?key_?id$/i;
// AWS access key ids: AKIA (long-term), ASIA (temporary) and friends, 20 chars.
const ACCESS_KEY_ID = /\b(A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|AKPA)[A-Z0-9]{16}\b/g;
// "secret...=<40 base64 chars>" in free text (env dumps, ini snippets, SDK debug output).
const SECRET_ASSIGNMENT = /((?:secret|session)[\w-]*["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi;

/** "AKIAIOSFODNN7EXAMPLE" -> "AKIA…MPLE": enough to tell keys apart, useless to an attacker. */
export function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** Redacts key ids, secret assignments and any explicitly known secret strings from text. */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const s of knownSecrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  out = out.replace(SECRET_ASSIGNMENT, '$1[redacted]');
  return out.replace(ACCESS_KEY_ID, (m) => maskAccessKeyId(m));
}

/** Deep copy with secret-looking fields replaced; safe to pass to a logger or JSON.stringify. */
export function redactObject<T>(value: T, knownSecrets: readonly string[] = []): T {
  const walk = (v: unknown, key: string | undefined, seen: WeakSet<object>): unknown => {
    if (typeof v === 'string') {
      if (key && ACCESS_KEY_NAME.test(key)) return maskAccessKeyId(v);
      if (key && SECRET_KEY_NAME.test(key)) return '[redacted]';
      return redactText(v, knownSecrets);
    }
    if (v instanceof Error) {
      return { name: v.name, message: redactText(v.message, knownSecrets) };
    }
    if (!v || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key, seen));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, k, seen);
    return out;
  };
  return walk(value, undefined, new WeakSet()) as T;
}
