/**
 * ffprobe's answer per stored object, remembered: the generation function probes every source
 * through the Probe API and the job then opens the same objects, so without this each source is
 * probed twice per export (~60 ms of ffprobe on the job's critical path, before ffmpeg starts).
 * The store writes an object by renaming a new file into place, so a file's identity (device,
 * inode, size, modification time) names its bytes: a rewritten object is probed afresh.
 */
import { stat } from 'node:fs/promises';
import { runFfprobeJson } from '../../../node/media/probe';

export type FfprobeJson = Awaited<ReturnType<typeof runFfprobeJson>>;

export interface ProbedFile {
  json: FfprobeJson;
  sizeBytes: number;
  modifiedMs: number;
}

export interface ProbeMemo {
  /** ffprobe's JSON for the file, its size and modification time; a failure is not remembered. */
  probe(file: string): Promise<ProbedFile>;
}

export function createProbeMemo(maxEntries = 256): ProbeMemo {
  const answers = new Map<string, Promise<ProbedFile>>();
  return {
    async probe(file) {
      const info = await stat(file).catch(() => {
        throw new Error(`file not found: ${file}`); // probeMedia's words
      });
      const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${file}`;
      let answer = answers.get(identity);
      if (answer) {
        answers.delete(identity); // re-inserted below: most recently used last
      } else {
        answer = runFfprobeJson(file).then((json) => ({ json, sizeBytes: info.size, modifiedMs: info.mtimeMs }));
        answer.catch(() => answers.delete(identity));
      }
      answers.set(identity, answer);
      while (answers.size > maxEntries) answers.delete(answers.keys().next().value!);
      return answer;
    },
  };
}
