// Every literal t('…') key in the renderer has a French translation: no English in the French UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fr } from '../../renderer/src/i18n/fr';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

test('every t() key used in renderer/src is translated to French', () => {
  const call = /\bt\(\s*(['"])((?:\\.|(?!\1).)*)\1/g;
  const missing: string[] = [];
  const files = sourceFiles(join(import.meta.dirname, '../../renderer/src'));
  let keys = 0;
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(call)) {
      keys++;
      const key = match[2].replace(/\\(['"\\])/g, '$1');
      if (!(key in fr)) missing.push(`${file.split('renderer/src/')[1]}: ${key}`);
    }
  }
  assert.ok(keys > 100, `found only ${keys} t() calls: the pattern no longer matches the code`);
  assert.deepEqual(missing, []);
});

test('the built-in templates read in French: names, descriptions and preset titles', async () => {
  const { BUILT_IN_TEMPLATES } = await import('../../electron/services/templates/builtins');
  const texts = BUILT_IN_TEMPLATES.flatMap((tpl) => [tpl.name, tpl.description, ...tpl.overlays.map((o) => o.content)]);
  assert.deepEqual(texts.filter((text) => !(text in fr)), []);
  assert.ok('our hotel' in fr); // what {project} becomes in an unnamed project
});

test('host messages made to be translated (AppError.of templates), compileDraft issues and caption-file problems read in French', async () => {
  const of = /\.of\(\s*'[a-z-]+',\s*(['"])((?:\\.|(?!\1).)*)\1/g;
  const roots = ['../../electron', '../../shared', '../../renderer/src/host'].map((r) => join(import.meta.dirname, r));
  const templates = roots.flatMap(sourceFiles).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(of)].map((m) => m[2].replace(/\\(['"\\])/g, '$1')));
  assert.ok(templates.length >= 10, `found only ${templates.length} templates`);
  const { DRAFT_ISSUE_TEXT } = await import('../../shared/compile-draft');
  const { SUBTITLE_NOTE_TEXT } = await import('../../shared/subtitles');
  const nodeErrors = ['File not found: {{path}}', 'Permission denied: {{path}}', 'The disk is full'];
  const subtitleNotes = [...Object.values(SUBTITLE_NOTE_TEXT), 'line {{line}}: {{problem}}'];
  const missing = [...templates, ...nodeErrors, ...Object.values(DRAFT_ISSUE_TEXT), ...subtitleNotes].filter((key) => !(key in fr));
  assert.deepEqual(missing, []);
});

test('French typography: a no-break space before : ; ! ? % and inside « », never a plain one (no line break there)', () => {
  const wrong = Object.entries(fr).filter(([, text]) => / [:;!?%»]|« /.test(text));
  assert.deepEqual(wrong.map(([key]) => key), []);
});
