/** Times the media library's own makeProxy, and the same ffmpeg command's CPU time, best of `runs`. */
import { join } from 'node:path';
import type { ColourFacts } from '../node/media/colour';
import { makeProxy, proxyArgs } from '../electron/services/media/proxy';
import { run as timeFfmpeg } from './ffmpeg-run';

export interface ProxyTiming {
  /** Best wall time of makeProxy (what the app waits for). */
  seconds: number;
  /** Best CPU time of the same command: load-independent. */
  cpuSeconds: number;
}

/** Each run writes `proxy-<r>.mp4` into `work` (callers may check the first one). */
export async function timeProxyRuns(
  clip: { path: string; durationSec: number; hasAudio: boolean; colour?: Pick<ColourFacts, 'dynamicRange' | 'range'> },
  work: string,
  runs: number,
): Promise<ProxyTiming> {
  let seconds = Infinity;
  let cpuSeconds = Infinity;
  for (let r = 0; r < Math.max(1, runs); r++) {
    const started = process.hrtime.bigint();
    await makeProxy({ src: clip.path, out: join(work, `proxy-${r}.mp4`), durationSec: clip.durationSec, hasAudio: clip.hasAudio, colour: clip.colour });
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - started) / 1e9);
    const timed = await timeFfmpeg(['-hide_banner', '-nostdin', ...proxyArgs(clip.path, join(work, `cpu-${r}.mp4`), clip.hasAudio, clip.colour)]);
    cpuSeconds = Math.min(cpuSeconds, timed.cpuSec);
  }
  return { seconds, cpuSeconds };
}
