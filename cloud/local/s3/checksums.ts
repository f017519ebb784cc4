/**
 * Incremental checksums for every `x-amz-checksum-*` algorithm a client may declare, so the
 * store verifies each claim instead of trusting it. CRC32, SHA1, SHA256, SHA512 and MD5 come from Node;
 * CRC32C (Castagnoli) and CRC64NVME have no Node implementation, so they are table-driven
 * (slice-by-8) here. Only the algorithm the client declared is ever computed.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

export interface Checksummer {
  update(data: Buffer): void;
  digestBase64(): string;
}

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'SHA512', 'MD5'] as const;

/** 8 tables of 256 entries for a reflected 32-bit CRC with polynomial `poly`. */
function crc32Tables(poly: number): Int32Array[] {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    tables[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) tables[t][n] = (tables[t - 1][n] >>> 8) ^ tables[0][tables[t - 1][n] & 0xff];
  }
  return tables;
}

let crc32cTables: Int32Array[] | undefined;

/** CRC32C of `data` continuing from `crc` (0 to start). */
export function crc32c(data: Uint8Array, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = (crc32cTables ??= crc32Tables(0x82f63b78));
  // Int32 arithmetic throughout (no `>>> 0` in the loop): V8 keeps it in registers.
  let c = ~crc | 0;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  for (; i < end8; i += 8) {
    const a = c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    c =
      t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
      t3[data[i + 4]] ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]];
  }
  for (; i < data.length; i++) c = t0[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC64NVME (reflected, polynomial 0x9a6c9329ac4bc9b5, init/xorout all ones), kept as two 32-bit
 * halves because BigInt per byte would be ~50x slower.
 */
let crc64Tables: { lo: Int32Array[]; hi: Int32Array[] } | undefined;

function buildCrc64Tables(): { lo: Int32Array[]; hi: Int32Array[] } {
  const polyLo = 0xac4bc9b5;
  const polyHi = 0x9a6c9329;
  const lo = Array.from({ length: 8 }, () => new Int32Array(256));
  const hi = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        l = (l ^ polyLo) >>> 0;
        h = (h ^ polyHi) >>> 0;
      }
    }
    lo[0][n] = l;
    hi[0][n] = h;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) {
      const pl = lo[t - 1][n];
      const ph = hi[t - 1][n];
      const idx = pl & 0xff;
      // (prev >>> 8) ^ table0[prev & 0xff]
      lo[t][n] = ((((pl >>> 8) | ((ph & 0xff) << 24)) >>> 0) ^ lo[0][idx]) >>> 0;
      hi[t][n] = ((ph >>> 8) ^ hi[0][idx]) >>> 0;
    }
  }
  return { lo, hi };
}

function crc64nvmeSummer(): Checksummer {
  const { lo, hi } = (crc64Tables ??= buildCrc64Tables());
  const [l0, l1, l2, l3, l4, l5, l6, l7] = lo;
  const [h0, h1, h2, h3, h4, h5, h6, h7] = hi;
  let cl = -1;
  let ch = -1;
  return {
    update(data) {
      let i = 0;
      const end8 = data.length - (data.length % 8);
      for (; i < end8; i += 8) {
        const a = cl ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
        const b = ch ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
        const i0 = a & 0xff, i1 = (a >>> 8) & 0xff, i2 = (a >>> 16) & 0xff, i3 = a >>> 24;
        const i4 = b & 0xff, i5 = (b >>> 8) & 0xff, i6 = (b >>> 16) & 0xff, i7 = b >>> 24;
        cl = l7[i0] ^ l6[i1] ^ l5[i2] ^ l4[i3] ^ l3[i4] ^ l2[i5] ^ l1[i6] ^ l0[i7];
        ch = h7[i0] ^ h6[i1] ^ h5[i2] ^ h4[i3] ^ h3[i4] ^ h2[i5] ^ h1[i6] ^ h0[i7];
      }
      for (; i < data.length; i++) {
        const idx = (cl ^ data[i]) & 0xff;
        cl = ((cl >>> 8) | (ch << 24)) ^ l0[idx];
        ch = (ch >>> 8) ^ h0[idx];
      }
    },
    digestBase64() {
      const out = Buffer.alloc(8);
      out.writeUInt32BE(~ch >>> 0, 0);
      out.writeUInt32BE(~cl >>> 0, 4);
      return out.toString('base64');
    },
  };
}

function crcSummer(fn: (data: Uint8Array, crc: number) => number): Checksummer {
  let crc = 0;
  return {
    update: (d) => (crc = fn(d, crc)),
    digestBase64: () => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc >>> 0);
      return b.toString('base64');
    },
  };
}

/** A checksummer for an upper-case algorithm name, or undefined when unknown. */
export function checksummer(algorithm: string): Checksummer | undefined {
  switch (algorithm) {
    case 'CRC32':
      return crcSummer((d, c) => zlib.crc32(d, c));
    case 'CRC32C':
      return crcSummer(crc32c);
    case 'CRC64NVME':
      return crc64nvmeSummer();
    case 'SHA1':
    case 'SHA256':
    case 'SHA512':
    case 'MD5': {
      const h = createHash(algorithm.toLowerCase());
      return { update: (d) => h.update(d), digestBase64: () => h.digest('base64') };
    }
    default:
      return undefined;
  }
}
