// node/code-cache.ts: a CommonJS bundle run through V8's code cache. The first run compiles and
// writes the cache once the bundle has worked; the next run's compilation comes from it; a
// rebuilt bundle (other size or mtime) and another variant get their own cache; a cache that
// cannot be written, or one V8 refuses, changes nothing but speed. Each load runs in a process of
// its own, as each CLI run does: within one process V8 reuses what it compiled already and
// never reads the cache at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeCachePath } from '../../node/code-cache';

const MODULE = pathToFileURL(join(import.meta.dirname, '../../node/code-cache.ts')).href;

/** Loads `file` in a new process, calls greet(name), saves the cache unless told not to. */
function requireWithCodeCache(file: string, variant: string, options: { save?: boolean; name?: string } = {}) {
  const script = `const { requireWithCodeCache } = await import(${JSON.stringify(MODULE)});
const b = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(variant)});
const greeting = b.exports.greet(${JSON.stringify(options.name ?? 'Ana')});
let saveError = null;
try { if (${options.save !== false}) b.saveCache(); } catch (err) { saveError = String(err); }
console.log(JSON.stringify({ cacheUsed: b.cacheUsed, greeting, dir: b.exports.dir, saveError }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { cacheUsed: boolean; greeting: string; dir: string; saveError: string | null };
}

const BUNDLE = `"use strict";
const path = require('node:path');
function greet(name) { return 'hello ' + name + ' from ' + path.basename(__filename); }
module.exports = { greet, dir: __dirname };
`;

function bundleIn(dir: string, source = BUNDLE): string {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, source);
  return file;
}

test('first run writes the cache after the work; the second compiles from it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hospup-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = bundleIn(dir);

  const first = requireWithCodeCache(file, 'export');
  assert.equal(first.cacheUsed, false);
  assert.equal(first.greeting, 'hello Ana from bundle.cjs', 'module.exports, require and __filename as require() gives them');
  assert.equal(first.dir, dir);
  assert.equal(readdirSync(join(dir, '.code-cache')).length, 1);

  const second = requireWithCodeCache(file, 'export', { name: 'Bo' });
  assert.equal(second.cacheUsed, true, 'V8 took the cache');
  assert.equal(second.greeting, 'hello Bo from bundle.cjs');
  assert.equal(readdirSync(join(dir, '.code-cache')).length, 1, 'nothing rewritten: the cache fitted');

  assert.equal(requireWithCodeCache(file, 'help').cacheUsed, false, 'another command has a cache of its own');
});

test('a rebuilt bundle of the same length does not get the old cache', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hospup-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = bundleIn(dir);
  requireWithCodeCache(file, 'export');
  const before = codeCachePath(file, 'export');
  // Same length, other code: V8 itself would accept the old cache (it checks only the length).
  bundleIn(dir, BUNDLE.replace("'hello '", "'howdy '"));
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.notEqual(codeCachePath(file, 'export'), before);
  const rebuilt = requireWithCodeCache(file, 'export', { name: 'Cy' });
  assert.equal(rebuilt.cacheUsed, false);
  assert.equal(rebuilt.greeting, 'howdy Cy from bundle.cjs', 'the new code runs');
});

test('a refused cache (not V8 data) and an unwritable folder only cost the compilation', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hospup-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = bundleIn(dir);
  requireWithCodeCache(file, 'export');
  writeFileSync(codeCachePath(file, 'export'), 'garbage, as a cache from another Node version looks to V8');
  const refused = requireWithCodeCache(file, 'export', { name: 'Di' });
  assert.equal(refused.cacheUsed, false);
  assert.equal(refused.greeting, 'hello Di from bundle.cjs');
  assert.equal(requireWithCodeCache(file, 'export').cacheUsed, true, 'the refused cache was replaced by a good one');

  // A folder the cache cannot go in (a file in its place: unwritable even for root).
  rmSync(join(dir, '.code-cache'), { recursive: true });
  writeFileSync(join(dir, '.code-cache'), '');
  const readOnly = requireWithCodeCache(file, 'export');
  assert.equal(readOnly.saveError, null, 'saveCache did not throw');
  assert.equal(readOnly.greeting, 'hello Ana from bundle.cjs');
});
