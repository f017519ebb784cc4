// The Lambda's reading of a MediaConvert Probe result means what the desktop probe means.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { factsFromProbe } from '../../cloud/lambda/probe-facts';

test('duration is the video track\'s, not the whole file\'s (audio may run on)', () => {
  const facts = factsFromProbe({
    Container: {
      Duration: 10,
      Tracks: [
        { TrackType: 'video', Duration: 8.008, VideoProperties: { FrameRate: { Numerator: 30000, Denominator: 1001 }, TransferCharacteristics: 'ARIB_B67' } },
        { TrackType: 'audio', Duration: 10, AudioProperties: { Channels: 6 } },
      ],
    },
  }, 's3://b/a.mov');
  assert.deepEqual(facts, { fps: 30000 / 1001, hasAudio: true, duration: 8.008, dynamicRange: 'hlg', audioChannels: 6 });
});

test('PQ is HDR10; no video track duration falls back to the container; SDR has no dynamic range', () => {
  assert.equal(factsFromProbe({ Container: { Tracks: [{ TrackType: 'video', VideoProperties: { FrameRate: { Numerator: 25, Denominator: 1 }, TransferCharacteristics: 'SMPTE_2084' } }] } }, 'u').dynamicRange, 'pq');
  const sdr = factsFromProbe({ Container: { Duration: 4, Tracks: [{ TrackType: 'video', VideoProperties: { FrameRate: { Numerator: 25, Denominator: 1 }, TransferCharacteristics: 'ITU_709' } }] } }, 'u');
  assert.deepEqual(sdr, { fps: 25, hasAudio: false, duration: 4 });
  assert.throws(() => factsFromProbe({ Container: { Tracks: [] } }, 's3://b/x.mp4'), /no video track found in s3:\/\/b\/x\.mp4/);
});
