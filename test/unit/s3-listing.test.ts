/**
 * The S3 listing algorithm (cloud/local/s3/listing.ts) against a naive model: for any keys,
 * prefix, delimiter and page size, paging with V1 markers (NextMarker = last entry, common
 * prefix or key) or V2 continuation tokens yields the one-shot listing, each entry once, in
 * UTF-8 byte order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareUtf8, decodeContinuationToken, encodeContinuationToken, listKeys } from '../../cloud/local/s3/listing';

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The whole listing, the obvious way: roll each key up, dedupe, sort by bytes. */
function naive(keys: string[], prefix: string, delimiter: string) {
  const entries = new Map<string, boolean>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const idx = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (idx >= 0) entries.set(key.slice(0, idx + delimiter.length), true);
    else entries.set(key, false);
  }
  return [...entries.entries()].sort((a, b) => byBytes(a[0], b[0]));
}

// Few distinct characters (with a non-BMP one and one above the surrogates) so prefixes collide.
const char = fc.constantFrom('a', 'b', '/', '\u00e9', '\uff01', '\u{1f600}');
const key = fc.array(char, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));

describe('S3 listing', () => {
  it('compareUtf8 orders like the UTF-8 bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
      assert.equal(Math.sign(compareUtf8(a, b)), Math.sign(byBytes(a, b)));
    }), { seed: 9, numRuns: 2000 });
  });

  it('V1 (marker) and V2 (token) paging give the one-shot listing, each entry once', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 30 }), fc.constantFrom('', 'a', 'a/', '\u00e9'), fc.constantFrom('', '/', 'b'), fc.integer({ min: 1, max: 5 }), (keys, prefix, delimiter, maxKeys) => {
        const sorted = [...keys].sort(compareUtf8);
        const expected = naive(keys, prefix, delimiter);
        for (const style of ['v1', 'v2'] as const) {
          const seen: Array<[string, boolean]> = [];
          let after = '';
          let skipPrefix: string | undefined;
          for (let page = 0; ; page++) {
            assert.ok(page <= keys.length + 1, 'paging ends');
            const out = listKeys(sorted, { prefix, delimiter, maxKeys, after, skipPrefix });
            assert.ok(out.keys.length + out.commonPrefixes.length <= maxKeys);
            const pageEntries: Array<[string, boolean]> = [...out.keys.map((k) => [k, false] as [string, boolean]), ...out.commonPrefixes.map((p) => [p, true] as [string, boolean])];
            seen.push(...pageEntries.sort((a, b) => byBytes(a[0], b[0])));
            if (!out.isTruncated) break;
            assert.ok(out.last);
            if (style === 'v1') after = out.last.value;
            else {
              const token = decodeContinuationToken(encodeContinuationToken(out.last))!;
              after = token.value;
              skipPrefix = token.isPrefix ? token.value : undefined;
            }
          }
          assert.deepEqual(seen, expected, style);
        }
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it('max-keys 0 lists nothing and is not truncated', () => {
    assert.deepEqual(listKeys(['a', 'b'], { prefix: '', delimiter: '', maxKeys: 0, after: '' }), { keys: [], commonPrefixes: [], isTruncated: false, last: undefined });
  });
});
