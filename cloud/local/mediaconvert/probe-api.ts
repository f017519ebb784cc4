// The MediaConvert Probe API result (POST /2017-08-29/probe) built from ffprobe, wire shape (lower camel).
import { stat } from 'node:fs/promises';
import { mediaProbeFromFfprobe, runFfprobeJson } from '../../../electron/services/media/probe';

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

function fraction(text: string | undefined): { numerator: number; denominator: number } | undefined {
  if (!text) return undefined;
  const [n, d = 1] = text.split('/').map(Number);
  return n > 0 && d > 0 ? { numerator: n, denominator: d } : undefined;
}

/** One ProbeResult for a local file; throws NotMediaError for non-media files. */
export async function probeResultFor(file: string): Promise<Record<string, unknown>> {
  const info = await stat(file);
  const json = (await runFfprobeJson(file)) as any;
  const media = mediaProbeFromFfprobe(json, file, info.size);
  const { format, mimeType } = containerFormat(json.format?.format_name ?? '', json.format?.tags?.major_brand);
  const tracks: Record<string, unknown>[] = [];
  const mapping = { videoTrackIndexes: [] as number[], audioTrackIndexes: [] as number[], dataTrackIndexes: [] as number[] };
  for (const stream of json.streams ?? []) {
    const index = tracks.length + 1;
    const duration = Number(stream.duration ?? json.format?.duration) || undefined;
    const codec = CODECS[stream.codec_name] ?? (String(stream.codec_name).startsWith('pcm_') ? 'PCM' : 'UNKNOWN');
    if (stream.codec_type === 'video' && !stream.disposition?.attached_pic) {
      tracks.push({
        index, trackType: 'video', codec, duration,
        videoProperties: {
          width: stream.width, height: stream.height,
          frameRate: fraction(media.fpsFraction),
          bitRate: Number(stream.bit_rate) || undefined,
          bitDepth: /10/.test(stream.pix_fmt ?? '') ? 10 : 8,
          rotation: media.rotation,
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
      duration: media.durationSec,
      bitRate: Math.round((info.size * 8) / media.durationSec),
      tracks,
    },
    metadata: { fileSize: info.size, mimeType, lastModified: info.mtimeMs / 1000 },
    trackMappings: [mapping],
  };
}
