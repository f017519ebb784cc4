/**
 * `npm test`: every check, phase by phase, with a heading before and the time after each, and a
 * summary at the end. All phases run even when one fails, so one run shows everything to fix;
 * the exit code is 1 if any failed. `npm test -- lint e2e` runs only the phases named.
 */
import { spawn } from 'node:child_process';

interface Phase {
  name: string;
  title: string;
  command: string;
}

const PHASES: Phase[] = [
  { name: 'typecheck', title: 'Type-check (node and renderer projects)', command: 'npm run --silent typecheck' },
  { name: 'lint', title: 'Lint', command: 'npm run --silent lint' },
  // The CLI tests run the built JavaScript, as people do (bin/built.mjs falls back to tsx when stale).
  { name: 'build', title: 'Build the command line and web host (dist/node)', command: 'npm run --silent build:node' },
  { name: 'node', title: 'Unit and integration tests (node:test)', command: 'npm run --silent test:node' },
  { name: 'e2e', title: 'End-to-end tests (Playwright, Chromium)', command: 'npm run --silent test:e2e' },
];

function run(command: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !PHASES.some((phase) => phase.name === name));
  if (unknown.length) {
    console.error(`Unknown phase ${unknown.join(', ')}: choose from ${PHASES.map((p) => p.name).join(', ')}`);
    return 2;
  }
  const phases = wanted.length ? PHASES.filter((phase) => wanted.includes(phase.name)) : PHASES;
  const results: { phase: Phase; ok: boolean; ms: number }[] = [];
  const started = Date.now();
  for (const [i, phase] of phases.entries()) {
    console.log(`\n━━ [${i + 1}/${phases.length}] ${phase.title} ━━ ${phase.command}`);
    const t0 = Date.now();
    const code = await run(phase.command);
    const ms = Date.now() - t0;
    results.push({ phase, ok: code === 0, ms });
    console.log(`━━ [${i + 1}/${phases.length}] ${phase.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(ms)}`);
  }
  console.log('\nSummary');
  for (const { phase, ok, ms } of results) console.log(`  ${ok ? '✔' : '✖'} ${phase.name.padEnd(10)} ${seconds(ms).padStart(8)}`);
  const failed = results.filter((r) => !r.ok);
  console.log(`  ${failed.length ? `${failed.length} phase(s) failed` : 'all passed'} in ${seconds(Date.now() - started)}`);
  return failed.length ? 1 : 0;
}

main().then((code) => process.exit(code));
