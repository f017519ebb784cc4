/** Runs the bundled ffmpeg with a command line, timed: wall time and the process's CPU time. */
import { spawn } from 'node:child_process';
import { ffmpegPath } from '../node/media/ffmpeg-paths';

export interface Timing { wallSec: number; cpuSec: number }

/**
 * Runs ffmpeg through bash so its `times` builtin reports the child's CPU time (user + sys):
 * on a machine shared with other work, CPU time is the stable measure, wall time the felt one.
 */
export function run(args: string[]): Promise<Timing> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', '"$0" "$@" >/dev/null; rc=$?; times; exit $rc', ffmpegPath(), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-3000); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg exit ${code}: ${stderr}`));
      const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
      // `times` prints the shell's line, then the children's: "0m11.420s 0m0.610s".
      const children = stdout.trim().split('\n').at(-1) ?? '';
      const cpuSec = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      resolvePromise({ wallSec, cpuSec });
    });
  });
}

