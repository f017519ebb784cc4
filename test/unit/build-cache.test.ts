// `npm start` builds only what changed: a build runs when an input's content changed, not when
// a file was merely touched, and an interrupted build runs again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfChanged, fingerprint } from '../../scripts/build-cache';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'hospup-build-cache-'));
  mkdirSync(join(root, 'src/nested'), { recursive: true });
  writeFileSync(join(root, 'src/a.ts'), 'export const a = 1;');
  writeFileSync(join(root, 'src/nested/b.ts'), 'export const b = 2;');
  writeFileSync(join(root, 'package-lock.json'), '{}');
  let runs = 0;
  const build = {
    label: 'test',
    inputs: ['src', 'package-lock.json', 'missing-dir'],
    outDir: 'out',
    run: async () => {
      runs++;
      rmSync(join(root, 'out'), { recursive: true, force: true });
      mkdirSync(join(root, 'out'));
      writeFileSync(join(root, 'out/bundle.js'), 'built');
    },
  };
  return { root, build, runs: () => runs };
}

test('builds the first time, then only when an input changes', async () => {
  const { root, build, runs } = project();
  assert.equal(await buildIfChanged(root, build), true);
  assert.equal(await buildIfChanged(root, build), false);
  assert.equal(runs(), 1);

  // Touched, same bytes: nothing to do.
  utimesSync(join(root, 'src/a.ts'), new Date(), new Date(Date.now() + 5000));
  assert.equal(await buildIfChanged(root, build), false);

  writeFileSync(join(root, 'src/nested/b.ts'), 'export const b = 3;');
  assert.equal(await buildIfChanged(root, build), true);
  writeFileSync(join(root, 'src/new.ts'), '');
  assert.equal(await buildIfChanged(root, build), true, 'a new file counts');
  assert.equal(runs(), 3);
  rmSync(root, { recursive: true, force: true });
});

test('a failed build leaves no stamp and runs again', async () => {
  const { root, build, runs } = project();
  const failing = { ...build, run: async () => { await build.run(); throw new Error('vite: syntax error'); } };
  await assert.rejects(buildIfChanged(root, failing), /syntax error/);
  assert.equal(await buildIfChanged(root, build), true);
  assert.equal(runs(), 2);
  rmSync(root, { recursive: true, force: true });
});

test('the fingerprint covers paths as well as contents', () => {
  const { root } = project();
  const before = fingerprint(root, ['src']);
  rmSync(join(root, 'src/a.ts'));
  writeFileSync(join(root, 'src/c.ts'), 'export const a = 1;');
  assert.notEqual(fingerprint(root, ['src']), before);
  rmSync(root, { recursive: true, force: true });
});
