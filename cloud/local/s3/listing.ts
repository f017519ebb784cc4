/** The ListObjects(V2) paging algorithm over a sorted key list (pure). */

export interface ListRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Only keys strictly after this one (start-after / marker / continuation). */
  after: string;
  /** When continuing after a common prefix, every key under it is skipped. */
  skipPrefix?: string;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Last key or common prefix returned, for the next page. */
  last?: { value: string; isPrefix: boolean };
}

export function listKeys(sortedKeys: readonly string[], req: ListRequest): ListPage {
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: ListPage['last'];
  let lastPrefix: string | undefined = req.skipPrefix;
  for (const key of sortedKeys) {
    if (key <= req.after || !key.startsWith(req.prefix)) continue;
    if (lastPrefix !== undefined && key.startsWith(lastPrefix)) continue;
    let entry: { value: string; isPrefix: boolean } = { value: key, isPrefix: false };
    if (req.delimiter) {
      const idx = key.indexOf(req.delimiter, req.prefix.length);
      if (idx >= 0) entry = { value: key.slice(0, idx + req.delimiter.length), isPrefix: true };
    }
    if (keys.length + commonPrefixes.length >= req.maxKeys) {
      return { keys, commonPrefixes, isTruncated: true, last };
    }
    if (entry.isPrefix) {
      commonPrefixes.push(entry.value);
      lastPrefix = entry.value;
    } else {
      keys.push(entry.value);
    }
    last = entry;
  }
  return { keys, commonPrefixes, isTruncated: false, last };
}

/** Opaque continuation token: which entry the previous page ended on. */
export function encodeContinuationToken(last: { value: string; isPrefix: boolean }): string {
  return Buffer.from(JSON.stringify([last.value, last.isPrefix]), 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): { value: string; isPrefix: boolean } | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'boolean') {
      return { value: parsed[0], isPrefix: parsed[1] };
    }
  } catch {
    // fall through
  }
  return null;
}
