/**
 * Serving the built renderer (Vite output) from a folder: safe path resolution, MIME types,
 * SPA fallback to index.html for extension-less paths.
 */
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
};

export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticFile {
  path: string;
  mime: string;
  size: number;
  /** index.html (and the fallback) must be revalidated; hashed assets can be cached. */
  cacheControl: string;
}

/**
 * Maps a URL path to a file under `root`, or undefined (404). Paths that escape the root,
 * contain NUL or fail to decode are refused. Extension-less paths fall back to index.html.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const candidate = resolve(base, relative);
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined;

  const found = await fileAt(candidate);
  if (found !== undefined) return describe(candidate, found, relative);
  if (extname(relative) === '') {
    const index = join(base, 'index.html');
    const size = await fileAt(index);
    if (size !== undefined) return describe(index, size, 'index.html');
  }
  return undefined;
}

async function fileAt(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

function describe(path: string, size: number, relative: string): StaticFile {
  const hashedAsset = relative.startsWith('assets/');
  return {
    path,
    size,
    mime: mimeTypeFor(path),
    cacheControl: hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}
