// The lint configuration itself: the layer allow-lists refuse a new crossing (ESLint's API on the
// repository's eslint.config.js, files given by path so the layer is the real one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

test('a renderer file importing node:fs fails lint', async () => {
  const errors = await layerErrors('renderer/src/components/Sneaky.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /renderer\/src\/ may not use Node \(node:fs\)/);
  assert.equal((await layerErrors('renderer/src/components/Sneaky.tsx', "import fs from 'fs';\nexport const x = fs;\n")).length, 1, 'the bare name too');
});

test('a cloud/local file importing electron/services fails lint (the loop cannot come back)', async () => {
  const errors = await layerErrors('cloud/local/mediaconvert/sneaky.ts', "import { probeMedia } from '../../../electron/services/media/library';\nexport const x = probeMedia;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /cloud\/local\/ may import only cloud\/local\/, cloud\/lambda\/, node\/, shared\/ \(not electron\/services\/media\/library\)/);
  // A dynamic import is an import too.
  assert.equal((await layerErrors('cloud/local/sneaky.ts', "export const x = () => import('../../electron/services/paths');\n")).length, 1);
});

test('every layer refuses what is not on its list, and allows what is', async () => {
  const refused: [string, string][] = [
    ['shared/sneaky.ts', "import { join } from 'node:path';"],
    ['shared/sneaky.ts', "import { x } from '../electron/services/paths';"],
    ['shared/sneaky.ts', "import React from 'react';"],
    ['renderer/src/sneaky.ts', "import { x } from '../../electron/services/host-services';"],
    ['renderer/src/sneaky.ts', "import { ipcRenderer } from 'electron';"],
    ['cloud/lambda/sneaky.ts', "import { x } from '../local/index';"],
    ['cloud/lambda/sneaky.ts', "import { x } from '../../node/media/probe';"],
    ['node/sneaky.ts', "import { x } from '../electron/services/paths';"],
    ['node/sneaky.ts', "import { x } from '../cloud/local/index';"],
    ['electron/services/sneaky.ts', "import { app } from 'electron';"],
    ['electron/services/sneaky.ts', "import { x } from '../../renderer/src/host';"],
  ];
  for (const [file, code] of refused) assert.equal((await layerErrors(file, `${code}\nexport const y = 1;\n`)).length, 1, `${file}: ${code}`);
  const allowed: [string, string][] = [
    ['renderer/src/sneaky.ts', "import { formatTime } from '../../shared/time';\nimport { useState } from 'react';"],
    ['cloud/local/sneaky.ts', "import { probeMedia } from '../../node/media/probe';\nimport { createHandler } from '../lambda/handler';"],
    ['electron/services/sneaky.ts', "import { probeMedia } from '../../node/media/probe';\nimport { startLocalCloud } from '../../cloud/local/index';"],
    ['electron/main2.ts', "import { app } from 'electron';\nimport { createHostServices } from './services/host-services';"],
  ];
  for (const [file, code] of allowed) assert.deepEqual(await layerErrors(file, `${code}\nexport const y = 1;\n`), [], `${file}`);
});

test('the repository itself passes its layers', async () => {
  const results = await eslint.lintFiles(['shared', 'renderer/src', 'node', 'electron', 'cloud']);
  const crossings = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => `${r.filePath}: ${m.message}`));
  assert.deepEqual(crossings, []);
});
