/**
 * Which addresses the desktop app may hand to the system browser (`shell.openExternal`).
 * openExternal runs whatever the OS associates with a URL — `file:`, `smb:`, custom app schemes,
 * a `javascript:` page — so a link in a caption, a project file or a compromised page must not
 * reach it. Only https links to the AWS pages the app refers to (pricing, documentation, the
 * console for setting up the export target) pass; anything else is dropped.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['aws.amazon.com', 'docs.aws.amazon.com', 'console.aws.amazon.com'];

/** The normalised URL to open, or undefined when it is not on the allow-list. */
export function allowedExternalUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return undefined;
  return EXTERNAL_HOSTS.includes(url.hostname) ? url.href : undefined;
}
