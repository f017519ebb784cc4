/**
 * Inputs opened only as what their bytes are (node/media/safe-input.ts): real files made by
 * ffmpeg are recognised, playlists and scripts are not, and ffprobe's crash on hostile input
 * comes back as a plain "not a video file" error.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';
import { NotMediaError, probeMedia } from '../../node/media/probe';
import { readHead, sniffInputFormat, withSafeInputs } from '../../node/media/safe-input';

const DIR = resolve('.cache/test-media/safe-input');

function make(name: string, args: string[]): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, name);
  if (!existsSync(file)) execFileSync(ffmpegPath(), ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=64x64:d=0.2', ...args, file]);
  return file;
}

describe('safe inputs', () => {
  it('recognises the containers and images ffmpeg writes, by their bytes', () => {
    const cases: Array<[string, string[], unknown]> = [
      ['a.mp4', [], { kind: 'video', demuxer: 'mov' }],
      ['a.mov', [], { kind: 'video', demuxer: 'mov' }],
      ['a.mkv', [], { kind: 'video', demuxer: 'matroska' }],
      ['a.ts', [], { kind: 'video', demuxer: 'mpegts' }],
      ['a.avi', [], { kind: 'video', demuxer: 'avi' }],
      ['a.png', ['-frames:v', '1'], { kind: 'image', codec: 'png' }],
      ['a.jpg', ['-frames:v', '1'], { kind: 'image', codec: 'mjpeg' }],
    ];
    for (const [name, args, expected] of cases) assert.deepEqual(sniffInputFormat(readHead(make(name, args))), expected, name);
  });

  it('recognises nothing in playlists, concat scripts, text or an empty file', () => {
    for (const text of ['#EXTM3U\n#EXTINF:1,\n/etc/passwd\n', 'ffconcat version 1.0\nfile /etc/passwd\n', '<?xml version="1.0"?><MPD/>', 'hello', '']) {
      assert.equal(sniffInputFormat(Buffer.from(text)), undefined, JSON.stringify(text.slice(0, 12)));
    }
  });

  it('rewrites every -i of a command, after the input\'s own options', () => {
    const formats: Record<string, ReturnType<typeof sniffInputFormat>> = { '/b/clip.mp4': { kind: 'video', demuxer: 'mov' }, '/b/o.png': { kind: 'image', codec: 'png' } };
    const args = withSafeInputs(['-y', '-ss', '1', '-i', '/b/clip.mp4', '-loop', '1', '-i', '/b/o.png', 'out.mp4'], (f) => formats[f]);
    assert.deepEqual(args, [
      '-y', '-ss', '1', '-protocol_whitelist', 'file', '-f', 'mov', '-i', 'file:/b/clip.mp4',
      '-loop', '1', '-protocol_whitelist', 'file', '-f', 'image2', '-pattern_type', 'none', '-c:v', 'png', '-i', 'file:/b/o.png', 'out.mp4',
    ]);
    assert.throws(() => withSafeInputs(['-i', '/b/list.m3u8'], () => undefined), { name: 'UnsafeInputError' });
  });

  it('probes a real clip, and refuses an HLS playlist (on which the bundled ffprobe segfaults) in plain words', async () => {
    assert.equal((await probeMedia(make('probe.mp4', []))).width, 64);
    const playlist = join(DIR, 'evil.m3u8');
    writeFileSync(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n${make('a.ts', [])}\n#EXT-X-ENDLIST\n`);
    await assert.rejects(probeMedia(playlist), (err: Error) => err instanceof NotMediaError && /^not a video file: evil\.m3u8 \(not a container we read\)$/.test(err.message));
  });

  it('an ffprobe that crashes on a file is reported as the file\'s problem, not as a crash of ours', async () => {
    const crasher = join(DIR, 'crashing-ffprobe.sh');
    writeFileSync(crasher, '#!/bin/sh\nkill -SEGV $$\n');
    chmodSync(crasher, 0o755);
    const saved = process.env.HOSPUP_FFPROBE;
    process.env.HOSPUP_FFPROBE = crasher;
    try {
      await assert.rejects(probeMedia(make('probe.mp4', [])), (err: Error) => err instanceof NotMediaError && /ffprobe stopped on it \(SIGSEGV\)/.test(err.message));
    } finally {
      if (saved === undefined) delete process.env.HOSPUP_FFPROBE;
      else process.env.HOSPUP_FFPROBE = saved;
    }
  });
});
