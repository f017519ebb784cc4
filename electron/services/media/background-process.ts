// A background child process (the media library's ffmpeg): at the lowest CPU priority, so the
// editor and an export come first, and stopped while the background gate is closed.
import type { ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import type { BackgroundGate } from './background-gate';

/**
 * Lowers the process to the lowest priority (nice 19 on Linux and macOS, IDLE on Windows). Done
 * right after spawn, before ffmpeg starts its threads, so they inherit it. Best effort: a
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
