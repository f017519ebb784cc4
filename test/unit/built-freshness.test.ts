// bin/built.mjs runs the built CLI only while it is newer than everything it was made from; an
// edited, added or deleted source file sends the next start back to the TypeScript sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript module without types
import { builtIsFresh } from '../../bin/built.mjs';

function project(): { root: string; at: (path: string, seconds: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'hospup-built-'));
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
  mkdirSync(join(root, 'electron/cli'), { recursive: true });
  mkdirSync(join(root, 'dist/node'), { recursive: true });
  writeFileSync(join(root, 'electron/cli/main.ts'), 'export {};\n');
  writeFileSync(join(root, 'dist/node/.built'), JSON.stringify({ inputs: ['electron'] }));
  at('electron/cli/main.ts', 1000);
  at('electron/cli', 1000);
  at('electron', 1000);
  at('dist/node/.built', 2000);
  return { root, at };
}

test('a build newer than its sources is used; an edit, a new file or HOSPUP_FROM_SOURCES falls back to the sources', (t) => {
  const { root, at } = project();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.equal(builtIsFresh(root), true);

  at('electron/cli/main.ts', 3000); // edited after the build
  assert.equal(builtIsFresh(root), false);
  at('electron/cli/main.ts', 1000);
  assert.equal(builtIsFresh(root), true);

  writeFileSync(join(root, 'electron/cli/new.ts'), ''); // added now, long after the stamp
  assert.equal(builtIsFresh(root), false);
  rmSync(join(root, 'electron/cli/new.ts'));
  at('electron/cli', 1000);
  assert.equal(builtIsFresh(root), true);

  process.env.HOSPUP_FROM_SOURCES = '1';
  t.after(() => delete process.env.HOSPUP_FROM_SOURCES);
  assert.equal(builtIsFresh(root), false);
});

test('no build, or a stamp that is not ours, means the sources', (t) => {
  const { root } = project();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'dist/node/.built'), 'not json');
  assert.equal(builtIsFresh(root), false);
  rmSync(join(root, 'dist'), { recursive: true });
  assert.equal(builtIsFresh(root), false);
});
