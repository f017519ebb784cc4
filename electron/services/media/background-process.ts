// A background child process (the media library's ffmpeg): at the lowest CPU priority, so the
// editor and an export come first, and stopped while the background gate is closed.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import type { BackgroundGate } from './background-gate';

const NICE = process.platform === 'win32' ? undefined : ['/usr/bin/nice', '/bin/nice'].find((path) => existsSync(path));

/**
 * The command line that starts `program` at the lowest priority. On Linux and macOS through
 * nice(1), so the process is niced before it runs: setting it after spawn misses the threads
 * ffmpeg may already have started when this process is slow to get the CPU back (measured:
 * threads at nice 0 on a loaded machine). Elsewhere as it is: see lowerPriority.
 */
export function lowPriorityCommand(program: string, args: string[]): { command: string; args: string[] } {
  return NICE ? { command: NICE, args: ['-n', '19', program, ...args] } : { command: program, args };
}

/**
 * Lowers a started process to the lowest priority (IDLE on Windows, where the priority class
 * covers all its threads; nice 19 elsewhere, a no-op after lowPriorityCommand). Best effort: a
 * process that already ended or a system that refuses is left as it is.
 */
export function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, constants.priority.PRIORITY_LOW);
  } catch {
    /* gone already, or not allowed: it runs at normal priority */
  }
}

/**
 * Stops the child (SIGSTOP) while `gate` is closed and continues it (SIGCONT) when it opens.
 * Windows has no such signals (Node would kill the process instead): there only new work waits.
 * Returns the function that stops following the gate (call it when the child exits).
 */
export function pauseWithGate(child: ChildProcess, gate: BackgroundGate): () => void {
  if (process.platform === 'win32') return () => {};
  const follow = (closed: boolean) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(closed ? 'SIGSTOP' : 'SIGCONT');
  };
  if (gate.closed) follow(true);
  return gate.onChange(follow);
}
