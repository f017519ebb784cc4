// A clip's colour facts (read from ffprobe) and the ffmpeg filters that show an HDR picture as
// BT.709 SDR. One chain for everything a person looks at: preview proxies, thumbnails,
// filmstrips and the local renderer's export, so an HLG phone clip has the same colour everywhere.
// Pure: no I/O.

export type DynamicRange = 'sdr' | 'hlg' | 'pq';

export interface ColourFacts {
  /** ffprobe names, "unknown" when the file does not say: e.g. bt2020, arib-std-b67, bt2020nc, tv. */
  primaries: string;
  transfer: string;
  matrix: string;
  range: string;
  /** Bits per sample of the picture (8 for most SDR, 10 for phone HDR). */
  bitDepth: number;
  /** HLG (iPhone HDR, also the base layer of its Dolby Vision 8.4) or PQ (HDR10): converted to SDR. */
  dynamicRange: DynamicRange;
}

interface ColourStream {
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  color_range?: string;
}

export function colourFromFfprobe(stream: ColourStream): ColourFacts {
  const transfer = stream.color_transfer ?? 'unknown';
  return {
    primaries: stream.color_primaries ?? 'unknown',
    transfer,
    matrix: stream.color_space ?? 'unknown',
    range: stream.color_range ?? 'unknown',
    bitDepth: bitDepthOf(stream),
    dynamicRange: transfer === 'arib-std-b67' ? 'hlg' : transfer === 'smpte2084' ? 'pq' : 'sdr',
  };
}

function bitDepthOf(stream: ColourStream): number {
  const raw = Number(stream.bits_per_raw_sample);
  if (Number.isInteger(raw) && raw > 0) return raw;
  const fromFormat = /(?:p|le|be)?(9|10|12|14|16)(?:le|be)?$/.exec(stream.pix_fmt ?? '') ?? /^p0(10|12|16)/.exec(stream.pix_fmt ?? '');
  return fromFormat ? Number(fromFormat[1]) : 8;
}

/**
 * SDR reference white in nits: ITU-R BT.2408's HDR reference white (HLG 75 %, 203 cd/m²) becomes
 * SDR 100 %. Linear 1.0 in the chain below is this level.
 */
export const SDR_WHITE_NITS = 203;
/** Peak assumed for HLG (its nominal 1000 cd/m² display) and for PQ without better knowledge. */
export const HDR_PEAK_NITS = 1000;

/**
 * MediaConvert's two tone mappers, approximated with ffmpeg's mobius curve (colours below the knee
 * unchanged, brighter ones rolled off to the peak): PRESERVE_DETAILS leaves more room for
 * highlights (a lower knee), VIBRANT keeps SDR-range colours at full strength. AWS documents
 * that HLG sources always get PRESERVE_DETAILS.
 */
export type ToneMapper = 'PRESERVE_DETAILS' | 'VIBRANT';
const KNEE: Record<ToneMapper, number> = { PRESERVE_DETAILS: 0.6, VIBRANT: 0.9 };

/** ffmpeg names of the input transfer for zscale. */
const ZSCALE_TRANSFER: Record<'hlg' | 'pq', string> = { hlg: 'arib-std-b67', pq: 'smpte2084' };

/**
 * Filters that turn an HDR picture into 8-bit BT.709 SDR (`format=yuv420p`, tagged BT.709), or
 * none for SDR. Run them after scaling down: tone mapping in float RGB costs per pixel.
 * HDR primaries/matrix are BT.2020 whatever the file's (possibly missing) tags say.
 */
export function sdrFilters(colour: Pick<ColourFacts, 'dynamicRange' | 'range'>, mapper: ToneMapper = 'PRESERVE_DETAILS'): string[] {
  if (colour.dynamicRange === 'sdr') return [];
  const mode = colour.dynamicRange === 'hlg' ? 'PRESERVE_DETAILS' : mapper;
  const rangeIn = colour.range === 'pc' ? 'pc' : 'tv';
  const peak = (HDR_PEAK_NITS / SDR_WHITE_NITS).toFixed(4);
  return [
    // To linear light with BT.709 primaries in one pass (zimg linearises before converting primaries).
    `zscale=tin=${ZSCALE_TRANSFER[colour.dynamicRange]}:pin=bt2020:min=bt2020nc:rin=${rangeIn}:t=linear:p=bt709:npl=${SDR_WHITE_NITS}`,
    'format=gbrpf32le',
    // desat=0: keep saturated colours saturated (the default desaturates above 2x reference white).
    `tonemap=tonemap=mobius:param=${KNEE[mode]}:desat=0:peak=${peak}`,
    'zscale=t=bt709:m=bt709:r=tv',
    'format=yuv420p',
  ];
}

/** Output tags of an SDR picture made by sdrFilters (so players do not guess). */
export const BT709_OUTPUT_ARGS = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] as const;
