/**
 * Fuzz: the `hospup` command line (electron/cli/main.ts, called in-process) with hostile
 * arguments and hostile request files. It answers 0 or 2 (never 1, "something else broke"),
 * prints no stack trace, and every error line says what it is about (`subject: problem`).
 * `export` is fuzzed up to its checks (no --out, or a wrong --target), so no render starts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { main } from '../../electron/cli/main';
import { FUZZ, hostileString, plainWords, requestInput } from './arbitraries';

let dir: string;
let n = 0;
const savedEnv = { data: process.env.HOSPUP_DATA_DIR };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-fuzz-cli-'));
  process.env.HOSPUP_DATA_DIR = join(dir, 'data');
});
after(async () => {
  if (savedEnv.data === undefined) delete process.env.HOSPUP_DATA_DIR;
  else process.env.HOSPUP_DATA_DIR = savedEnv.data;
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with stdout/stderr captured. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

const option = fc.oneof(
  fc.constantFrom('--help', '-h', '--bucket', '--role', '--profile', '--region', '--function', '--target', '-o', '--out=', '--', '-', '--unknown', '-x'),
  hostileString.map((s) => `--${s}`),
  hostileString,
);

/** JSON text of a value; values JSON cannot hold (BigInt, cycles) become a file that is not JSON. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '{not json';
  }
}

/** [argv, file content]: a command, maybe a file (written with the content), options. */
const invocation = fc.record({
  command: fc.oneof(fc.constantFrom('plan', 'plan', 'plan', 'export', 'help', 'nonsense'), hostileString),
  content: fc.oneof(requestInput.map((r) => (typeof r === 'string' ? r : jsonText(r))), hostileString),
  withFile: fc.constantFrom('file', 'file', 'missing', 'none'),
  options: fc.array(option, { maxLength: 4 }),
  target: fc.oneof(fc.constant(undefined), hostileString),
});

test('the CLI refuses hostile arguments and files with exit 2 and a line that names the problem, no stack', { timeout: Number(process.env.HOSPUP_FUZZ_RUNS ?? 200) * 200 + 60_000 }, async () => {
  const codes: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(invocation, async ({ command, content, withFile, options, target }) => {
      const file = join(dir, `request-${++n}.json`);
      if (withFile === 'file') await writeFile(file, content);
      const argv = [command, ...(withFile === 'none' ? [] : [file]), ...options];
      if (command === 'export') {
        // Never a real export: either no --out at all, or a target that does not exist.
        const safe = argv.filter((a) => a !== '-o' && !a.startsWith('--out'));
        argv.splice(0, argv.length, ...safe, ...(target !== undefined && target !== 'local' && target !== 'aws' ? ['--out', join(dir, 'x.mp4'), '--target', target] : []));
      }
      if (command === 'cloud') return; // runs until Ctrl+C
      const { code, err } = await run(argv);
      codes[code] = (codes[code] ?? 0) + 1;
      assert.ok(code === 0 || code === 2, `exit ${code} for ${JSON.stringify(argv).slice(0, 200)}: ${err.slice(0, 500)}`);
      assert.ok(plainWords(err), `not plain words: ${err.slice(0, 500)}`);
      for (const line of err.split('\n').filter((l) => l.startsWith('Error: '))) {
        assert.match(line, /^Error: [^\n]*?\S: \S/, `an error that names nothing: ${line.slice(0, 300)}`);
      }
    }),
    { seed: FUZZ.seed, numRuns: FUZZ.numRuns, timeout: 30_000 },
  );
  // Some runs got all the way through (plan printed a job): the fuzzer is not stuck at the door.
  assert.ok((codes[0] ?? 0) > 0, `exit codes ${JSON.stringify(codes)}`);
});
