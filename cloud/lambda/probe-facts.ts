/**
 * A MediaConvert Probe result -> the compiler's source facts. Durations mean what the desktop's
 * probe means: the VIDEO track's length (Container.Duration is the whole file, which runs on when
 * the audio is longer), so the end clamp is the same on AWS and locally.
 */
import type { ProbeResult } from '@aws-sdk/client-mediaconvert';
import { parseFrameRate } from '../../shared/time';
import type { SourceFacts } from './compile-job';

const HDR_TRANSFERS: Record<string, 'hlg' | 'pq'> = { ARIB_B67: 'hlg', SMPTE_2084: 'pq' };

export function factsFromProbe(result: ProbeResult | undefined, url: string): SourceFacts {
  const tracks = result?.Container?.Tracks ?? [];
  const video = tracks.find((t) => t.TrackType === 'video');
  const rate = video?.VideoProperties?.FrameRate;
  if (!video || !rate?.Numerator || !rate.Denominator) throw new Error(`no video track found in ${url}`);
  const audio = tracks.find((t) => t.TrackType === 'audio');
  const transfer = video.VideoProperties?.TransferCharacteristics ?? video.VideoProperties?.CodecMetadata?.TransferCharacteristics;
  const duration = video.Duration ?? result?.Container?.Duration;
  const channels = audio?.AudioProperties?.Channels;
  return {
    fps: parseFrameRate(`${rate.Numerator}/${rate.Denominator}`),
    hasAudio: audio !== undefined,
    ...(duration !== undefined && duration > 0 && { duration }),
    ...(transfer && HDR_TRANSFERS[transfer] && { dynamicRange: HDR_TRANSFERS[transfer] }),
    ...(channels !== undefined && channels > 0 && { audioChannels: channels }),
  };
}
