// Where the ffmpeg / ffprobe binaries live. The npm-installed static builds are the default;
// HOSPUP_FFMPEG / HOSPUP_FFPROBE point at a system ffmpeg instead.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function ffmpegPath(): string {
  const fromEnv = process.env.HOSPUP_FFMPEG;
  if (fromEnv) return fromEnv;
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

export function ffprobePath(): string {
  const fromEnv = process.env.HOSPUP_FFPROBE;
  if (fromEnv) return fromEnv;
  return (require('@ffprobe-installer/ffprobe') as { path: string }).path;
}
