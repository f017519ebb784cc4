/**
 * How a source's audio track becomes the output's stereo AAC: one rule, written into the job as
 * MediaConvert RemixSettings so both targets mix the same way (the local renderer implements
 * RemixSettings, it does not guess). Gains are in dB; -60 dB is MediaConvert's "mute".
 *
 * - stereo: as it is (no remix);
 * - mono: the one channel on both sides at full level;
 * - 5.1 (L R C LFE Ls Rs, the SMPTE order decoders deliver): ITU-R BS.775 downmix,
 *   L = L + C -3 dB + Ls -3 dB, R = R + C -3 dB + Rs -3 dB, LFE left out;
 * - any other layout: its first two channels as left and right.
 * Unknown channel count: no remix (MediaConvert's default).
 */
import type { RemixSettings } from '@aws-sdk/client-mediaconvert';

export const MUTE_DB = -60;
const FIVE_ONE: [number[], number[]] = [
  [0, MUTE_DB, -3, MUTE_DB, -3, MUTE_DB],
  [MUTE_DB, 0, -3, MUTE_DB, MUTE_DB, -3],
];

export function stereoRemix(channels: number | undefined): RemixSettings | undefined {
  if (channels === undefined || channels === 2) return undefined;
  let mapping: [number[], number[]];
  if (channels === 1) mapping = [[0], [0]];
  else if (channels === 6) mapping = FIVE_ONE;
  else {
    const only = (keep: number) => Array.from({ length: channels }, (_, i) => (i === keep ? 0 : MUTE_DB));
    mapping = [only(0), only(1)];
  }
  return {
    ChannelsIn: channels,
    ChannelsOut: 2,
    ChannelMapping: { OutputChannels: mapping.map((gains) => ({ InputChannels: gains })) },
  };
}
