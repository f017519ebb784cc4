import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Directory of the running module: this file under tsx/ESM, the bundle's own directory after
 * esbuild (ESM keeps `import.meta.url`; a CJS bundle has `__dirname` instead).
 */
export function moduleDir(): string | undefined {
  try {
    const url = import.meta.url;
    if (typeof url === 'string' && url.startsWith('file:')) return dirname(fileURLToPath(url));
  } catch {
    // import.meta is unavailable in a CJS bundle: fall through.
  }
  return typeof __dirname === 'string' ? __dirname : undefined;
}
