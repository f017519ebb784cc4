/**
 * The Content-Security-Policy of the renderer, the same in Electron (app:// origin, media on
 * hospup-media:) and in web mode (everything same-origin). No inline or remote script, no
 * eval, no plugins, no framing; media and images only from our own origins, data: and blob:.
 * `style-src 'unsafe-inline'` lets React/inline style attributes and injected styles work; it
 * cannot run code.
 */
export function contentSecurityPolicy(extraMediaSources: readonly string[] = []): string {
  const media = ["'self'", 'blob:', 'data:', ...extraMediaSources].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${media}`,
    `media-src ${media}`,
    "font-src 'self' data: blob:",
    `connect-src 'self' ${extraMediaSources.join(' ')}`.trim(),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response of ours carries (web host and app:// protocol). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
