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
 *
 * A segment's volume (`volume_db`) is added to every gain of that mapping (stereo then gets an
 * explicit L->L, R->R mapping), clamped to the remix range -60..+6 dB. Muting is not a gain: a
 * muted segment has no audio selector at all, and MediaConvert inserts silence.
 */
import type { RemixSettings } from '@aws-sdk/client-mediaconvert';

export const MUTE_DB = -60;
export const MAX_GAIN_DB = 6;
const FIVE_ONE: [number[], number[]] = [
  [0, MUTE_DB, -3, MUTE_DB, -3, MUTE_DB],
  [MUTE_DB, 0, -3, MUTE_DB, MUTE_DB, -3],
];

/** Per output channel (left, right), the gain of each input channel; undefined = stereo as it is. */
function stereoMapping(channels: number): [number[], number[]] | undefined {
  if (channels === 2) return undefined;
  if (channels === 1) return [[0], [0]];
  if (channels === 6) return FIVE_ONE;
  const only = (keep: number) => Array.from({ length: channels }, (_, i) => (i === keep ? 0 : MUTE_DB));
  return [only(0), only(1)];
}

/** The remix of a source with `channels` channels at `gainDb` (0 = as recorded). */
export function stereoRemix(channels: number | undefined, gainDb = 0): RemixSettings | undefined {
  if (channels === undefined) {
    if (gainDb !== 0) throw new Error('stereoRemix: a gain needs the channel count');
    return undefined;
  }
  let mapping = stereoMapping(channels);
  if (gainDb === 0 && mapping === undefined) return undefined;
  mapping ??= [[0, MUTE_DB], [MUTE_DB, 0]];
  const withGain = mapping.map((gains) => gains.map((db) => (db <= MUTE_DB ? MUTE_DB : Math.min(MAX_GAIN_DB, Math.max(MUTE_DB, db + gainDb)))));
  // Whole dB go in InputChannels; anything finer in InputChannelsFineTune (AWS rounds to 0.001 dB).
  const whole = withGain.every((gains) => gains.every(Number.isInteger));
  return {
    ChannelsIn: channels,
    ChannelsOut: 2,
    ChannelMapping: {
      OutputChannels: withGain.map((gains) => (whole
        ? { InputChannels: gains }
        : { InputChannelsFineTune: gains.map((db) => Math.round(db * 1000) / 1000) })),
    },
  };
}
