/**
 * `npm run fuzz`: the fuzz tests of test/fuzz/ with many more runs than `npm test` gives them
 * and a fresh seed each time (printed first, so a finding can be replayed with
 * HOSPUP_FUZZ_SEED=<seed>). HOSPUP_FUZZ_RUNS sets the runs per property (default 5000).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const seed = process.env.HOSPUP_FUZZ_SEED ?? String(Date.now() % 2 ** 31);
const runs = process.env.HOSPUP_FUZZ_RUNS ?? '5000';
const dir = join(import.meta.dirname, '..', 'test', 'fuzz');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f));
console.log(`fuzz: seed ${seed}, ${runs} runs per property (replay: HOSPUP_FUZZ_SEED=${seed} npm run fuzz)`);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=3600000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, HOSPUP_FUZZ_SEED: seed, HOSPUP_FUZZ_RUNS: runs },
});
child.on('exit', (code) => process.exit(code ?? 1));
