// The MediaConvert Probe API result (POST /2017-08-29/probe) built from ffprobe, wire shape (lower camel).
import { mediaProbeFromFfprobe } from '../../../node/media/probe';
import type { ProbeMemo } from './probe-memo';

const CODECS: Record<string, string> = {
  h264: 'AVC', hevc: 'HEVC', aac: 'AAC', prores: 'PRORES', vp9: 'VP9', vp8: 'VP8', av1: 'AV1', mpeg4: 'MP4V',
  mp3: 'MP3', ac3: 'AC3', eac3: 'EAC3', opus: 'OPUS', flac: 'FLAC', mpeg2video: 'MPEG2', mpeg1video: 'MPEG1',
  mjpeg: 'MJPEG', vorbis: 'VORBIS', theora: 'THEORA', mp2: 'MP2', dvvideo: 'DV', vc1: 'VC1', h263: 'H263',
  wmav2: 'WMA2', wmapro: 'WMAPRO', jpeg2000: 'JPEG2000', qtrle: 'QTRLE', amr_nb: 'AMR', webvtt: 'WEBVTT',
};

function containerFormat(formatName: string, majorBrand: string | undefined): { format: string; mimeType: string } {
  if (formatName.includes('mp4') || formatName.includes('mov')) {
    if ((majorBrand ?? '').trim() === 'qt') return { format: 'quicktime', mimeType: 'video/quicktime' };
    return { format: 'mp4', mimeType: 'video/mp4' };
  }
  const table: [string, string, string][] = [
    ['matroska', 'matroska', 'video/x-matroska'], ['mpegts', 'mpegts', 'video/mp2t'], ['avi', 'avi', 'video/x-msvideo'],
    ['wav', 'wave', 'audio/wav'], ['mp3', 'mp3', 'audio/mpeg'], ['mxf', 'mxf', 'application/mxf'], ['ogg', 'ogg', 'audio/ogg'],
    ['flac', 'flac', 'audio/flac'], ['asf', 'asf', 'video/x-ms-asf'], ['mpeg', 'mpegps', 'video/mpeg'],
  ];
  const hit = table.find(([needle]) => formatName.includes(needle));
  return hit ? { format: hit[1], mimeType: hit[2] } : { format: formatName, mimeType: 'application/octet-stream' };
}

// ffprobe colour names -> the Probe API's enums (ColorPrimaries, TransferCharacteristics, MatrixCoefficients).
const PRIMARIES: Record<string, string> = {
  bt709: 'ITU_709', bt2020: 'ITU_2020', smpte170m: 'SMPTE_170M', bt470bg: 'ITU_470BG', bt470m: 'ITU_470M', smpte240m: 'SMPTE_240M',
  film: 'GENERIC_FILM', smpte428: 'SMPTE_428_1', smpte431: 'SMPTE_431_2', smpte432: 'SMPTE_EG_432_1', jedec_p22: 'EBU_3213_E',
};
const TRANSFERS: Record<string, string> = {
  bt709: 'ITU_709', smpte2084: 'SMPTE_2084', 'arib-std-b67': 'ARIB_B67', smpte170m: 'SMPTE_170M', gamma22: 'ITU_470M',
  gamma28: 'ITU_470BG', smpte240m: 'SMPTE_240M', linear: 'LINEAR', log100: 'LOG10_2', log316: 'LOC10_2_5', 'iec61966-2-4': 'IEC_61966_2_4',
  'bt1361e': 'ITU_1361', 'iec61966-2-1': 'IEC_61966_2_1', 'bt2020-10': 'ITU_2020_10bit', 'bt2020-12': 'ITU_2020_12bit', smpte428: 'SMPTE_428_1',
};
const MATRICES: Record<string, string> = {
  gbr: 'RGB', bt709: 'ITU_709', fcc: 'FCC', bt470bg: 'ITU_470BG', smpte170m: 'SMPTE_170M', smpte240m: 'SMPTE_240M', ycgco: 'YCgCo',
  bt2020nc: 'ITU_2020_NCL', bt2020c: 'ITU_2020_CL', smpte2085: 'SMPTE_2085', 'chroma-derived-nc': 'CD_NCL', 'chroma-derived-c': 'CD_CL', ictcp: 'ITU_2100ICtCp',
};
const named = (table: Record<string, string>, value: string) => table[value] ?? 'UNSPECIFIED';

function fraction(text: string | undefined): { numerator: number; denominator: number } | undefined {
  if (!text) return undefined;
  const [n, d = 1] = text.split('/').map(Number);
  return n > 0 && d > 0 ? { numerator: n, denominator: d } : undefined;
}

/** One ProbeResult for a local file; throws NotMediaError for non-media files. */
export async function probeResultFor(file: string, memo: ProbeMemo): Promise<Record<string, unknown>> {
  const probed = await memo.probe(file);
  const json = probed.json as any;
  const media = mediaProbeFromFfprobe(json, file, probed.sizeBytes);
  const { format, mimeType } = containerFormat(json.format?.format_name ?? '', json.format?.tags?.major_brand);
  const tracks: Record<string, unknown>[] = [];
  const mapping = { videoTrackIndexes: [] as number[], audioTrackIndexes: [] as number[], dataTrackIndexes: [] as number[] };
  for (const stream of json.streams ?? []) {
    const index = tracks.length + 1;
    // Each track's own length; Container.Duration (below) is the whole file, as on AWS.
    const duration = Number(stream.duration ?? json.format?.duration) || undefined;
    const codec = CODECS[stream.codec_name] ?? (String(stream.codec_name).startsWith('pcm_') ? 'PCM' : 'UNKNOWN');
    if (stream.codec_type === 'video' && !stream.disposition?.attached_pic) {
      tracks.push({
        index, trackType: 'video', codec, duration,
        videoProperties: {
          width: stream.width, height: stream.height,
          frameRate: fraction(media.fpsFraction),
          bitRate: Number(stream.bit_rate) || undefined,
          bitDepth: media.colour.bitDepth,
          rotation: media.rotation,
          colorPrimaries: named(PRIMARIES, media.colour.primaries),
          transferCharacteristics: named(TRANSFERS, media.colour.transfer),
          matrixCoefficients: named(MATRICES, media.colour.matrix),
        },
      });
      mapping.videoTrackIndexes.push(index);
    } else if (stream.codec_type === 'audio') {
      tracks.push({
        index, trackType: 'audio', codec, duration,
        audioProperties: {
          channels: stream.channels, sampleRate: Number(stream.sample_rate) || undefined,
          bitRate: Number(stream.bit_rate) || undefined, channelLayout: stream.channel_layout,
          languageCode: stream.tags?.language,
        },
      });
      mapping.audioTrackIndexes.push(index);
    } else {
      tracks.push({ index, trackType: 'data', codec, duration });
      mapping.dataTrackIndexes.push(index);
    }
  }
  return {
    container: {
      format,
      duration: Number(json.format?.duration) || media.durationSec,
      bitRate: Math.round((probed.sizeBytes * 8) / (Number(json.format?.duration) || media.durationSec)),
      tracks,
    },
    metadata: { fileSize: probed.sizeBytes, mimeType, lastModified: probed.modifiedMs / 1000 },
    trackMappings: [mapping],
  };
}
