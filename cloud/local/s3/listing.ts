/**
 * The ListObjects (V1 and V2) paging algorithm over a sorted key list (pure).
 *
 * Rules, from AWS's S3 API reference (ListObjects / ListObjectsV2, and the SDK's model docs):
 * - Keys are listed in UTF-8 binary order ("Amazon S3 lists objects in UTF-8 character encoding
 *   in lexicographical order"): that is code point order, not JavaScript's UTF-16 order, which
 *   puts U+FF01 after U+1F600 (a surrogate pair starts with 0xD83D < 0xFF01).
 * - Only entries strictly after the marker / start-after / continuation are listed, and
 *   "CommonPrefixes is filtered out from results if it is not lexicographically greater than the
 *   key-marker": a V1 client that passes a NextMarker which is a common prefix (`photos/`) gets
 *   the entries after that prefix, not the same prefix again (else it pages forever).
 * - `max-keys=0` answers no entries and is not truncated.
 */

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

/**
 * Compares two strings by their UTF-8 bytes (= code points) without encoding them: equal UTF-16
 * code units compare equal; at the first difference, surrogates (0xD800-0xDFFF, i.e. code points
 * above U+FFFF) must sort after U+E000-U+FFFF, so both ranges are shifted (ICU's fix-up).
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca - cb;
  }
  return a.length - b.length;
}

/** First index at or after `from` where `past` turns true (`past` must be false, then true, along the list). */
function firstPast(sorted: readonly string[], from: number, past: (key: string) => boolean): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(sorted[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One page of a listing; `sortedKeys` must be in `compareUtf8` order. O(page size × log n). */
export function listKeys(sortedKeys: readonly string[], req: ListRequest): ListPage {
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: ListPage['last'];
  const skipUnder = (prefix: string, from: number) =>
    firstPast(sortedKeys, from, (key) => compareUtf8(key, prefix) > 0 && !key.startsWith(prefix));
  // Keys with the prefix are one contiguous run; start after the marker (and the skipped prefix).
  let i = firstPast(sortedKeys, 0, (key) => compareUtf8(key, req.prefix) >= 0 && compareUtf8(key, req.after) > 0);
  if (req.skipPrefix !== undefined) i = skipUnder(req.skipPrefix, i);
  while (i < sortedKeys.length) {
    const key = sortedKeys[i];
    if (!key.startsWith(req.prefix)) break; // past the run
    let entry: { value: string; isPrefix: boolean } = { value: key, isPrefix: false };
    if (req.delimiter) {
      const idx = key.indexOf(req.delimiter, req.prefix.length);
      if (idx >= 0) entry = { value: key.slice(0, idx + req.delimiter.length), isPrefix: true };
    }
    // A common prefix not after the marker was listed on an earlier page (see the rules above).
    if (entry.isPrefix && compareUtf8(entry.value, req.after) <= 0) {
      i = skipUnder(entry.value, i);
      continue;
    }
    if (keys.length + commonPrefixes.length >= req.maxKeys) {
      // max-keys=0 lists nothing and, like S3, does not call that truncated.
      return { keys, commonPrefixes, isTruncated: req.maxKeys > 0, last };
    }
    if (entry.isPrefix) {
      commonPrefixes.push(entry.value);
      i = skipUnder(entry.value, i);
    } else {
      keys.push(entry.value);
      i++;
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
