/**
 * Web mode's access key, as Jupyter does it: each run makes a random token and prints its
 * address as `http://127.0.0.1:5190/?token=…`. Opening that address once sets an HttpOnly,
 * SameSite=Strict cookie (named per port: cookies ignore ports) and redirects to the same page
 * without the token, so it stays out of the history and of Referer headers. Every request must
 * then carry the token: the cookie (the browser), or an `X-Hospup-Token` header (scripts, tests).
 * Another local user or program that can reach 127.0.0.1 cannot use the editor's services, read
 * media or start exports without it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_QUERY = 'token';
export const TOKEN_HEADER = 'x-hospup-token';
/** Tokens we make are 43 characters; a token given through HOSPUP_WEB_TOKEN must be at least this strong. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Undefined when acceptable; else why (for HOSPUP_WEB_TOKEN). */
export function tokenProblem(token: string): string | undefined {
  return TOKEN_PATTERN.test(token) ? undefined : 'must be 32 to 128 letters, digits, "-" or "_"';
}

export function cookieName(port: number): string {
  return `hospup_token_${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The token a request carries: the header first, then our cookie. */
export function requestToken(req: IncomingMessage, port: number): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  const name = cookieName(port);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison (the length of a token is no secret). */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The page a browser gets without the key, in both languages (the app's own language is not known yet). */
export function accessRefusedPage(reason: 'missing' | 'wrong'): string {
  const en =
    reason === 'wrong'
      ? 'This access key is not (or no longer) valid: Hospup Studio was probably restarted.'
      : 'This address needs its access key.';
  const fr =
    reason === 'wrong'
      ? 'Cette clé d’accès n’est pas (ou plus) valable\u00a0: Hospup Studio a sans doute été redémarré.'
      : 'Cette adresse a besoin de sa clé d’accès.';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Hospup Studio</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>Hospup Studio</h1>
<p lang="en">${en} Open the full address printed in the terminal where Hospup Studio started (it ends with <code>?token=…</code>).</p>
<p lang="fr">${fr} Ouvrez l’adresse complète affichée dans le terminal où Hospup Studio a démarré (elle se termine par <code>?token=…</code>).</p>
</body></html>`;
}
