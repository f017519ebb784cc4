import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mediaProbeFromFfprobe } from '../../electron/services/media/probe';

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
