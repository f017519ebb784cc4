import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mediaProbeFromFfprobe } from '../../node/media/probe';

const video = { codec_type: 'video', codec_name: 'h264', width: 160, height: 90, avg_frame_rate: '30/1' };

describe('mediaProbeFromFfprobe', () => {
  it('gives the video stream length when the audio runs on past the last frame', () => {
    const probe = mediaProbeFromFfprobe({
      streams: [{ ...video, duration: '2.000000' }, { codec_type: 'audio', codec_name: 'aac', duration: '2.300000' }],
      format: { duration: '2.300000', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' },
    }, '/clip.mp4', 1000);
    assert.equal(probe.durationSec, 2);
  });

  it("falls back to the container's length when the stream has none (Matroska)", () => {
    const probe = mediaProbeFromFfprobe({
      streams: [{ ...video }, { codec_type: 'audio', codec_name: 'opus' }],
      format: { duration: '1.500000', format_name: 'matroska,webm' },
    }, '/clip.webm', 1000);
    assert.equal(probe.durationSec, 1.5);
  });
});

describe('phone facts', () => {
  const probe = (stream: Record<string, unknown>) => mediaProbeFromFfprobe({ streams: [{ ...video, duration: '2', ...stream }], format: { format_name: 'mov' } }, '/c.mov', 1);

  it('variable frame rate: the average differs from the base rate; 29.97 is constant', () => {
    assert.equal(probe({ r_frame_rate: '30/1', avg_frame_rate: '3150/149' }).variableFrameRate, true);
    assert.equal(probe({ r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001' }).variableFrameRate, false);
    assert.equal(probe({ r_frame_rate: '30/1', avg_frame_rate: '0/0' }).variableFrameRate, false);
  });

  it('colour: HLG and PQ are HDR; bit depth from the pixel format; untagged is SDR', () => {
    assert.deepEqual(probe({ pix_fmt: 'yuv420p10le', color_primaries: 'bt2020', color_transfer: 'arib-std-b67', color_space: 'bt2020nc', color_range: 'tv' }).colour,
      { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, dynamicRange: 'hlg' });
    assert.equal(probe({ pix_fmt: 'p010le', color_transfer: 'smpte2084' }).colour.dynamicRange, 'pq');
    assert.equal(probe({ pix_fmt: 'p010le' }).colour.bitDepth, 10);
    assert.deepEqual(probe({ pix_fmt: 'yuv420p' }).colour, { primaries: 'unknown', transfer: 'unknown', matrix: 'unknown', range: 'unknown', bitDepth: 8, dynamicRange: 'sdr' });
  });

  it('channels of the first audio track', () => {
    const p = mediaProbeFromFfprobe({ streams: [{ ...video, duration: '2' }, { codec_type: 'audio', codec_name: 'aac', channels: 6 }], format: {} }, '/c.mov', 1);
    assert.equal(p.audioChannels, 6);
  });
});
