// A caption file's problems reach the editor in its language (they used to be English only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { i18n } from '../../renderer/src/i18n/index';
import { subtitleNoteText } from '../../renderer/src/i18n/subtitle-notes';
import { parseSubtitles } from '../../shared/subtitles';

test('a caption file that ends a caption before it starts is explained in French, with its line and times', async () => {
  const read = parseSubtitles('1\n00:00:01,000 --> 00:00:00,500\nBonjour\n', 'srt');
  assert.equal(read.ok, false);
  if (read.ok) return;
  assert.deepEqual(read.errors, [{ path: 'line 2', message: 'the caption ends ("00:00:00,500") before or when it starts ("00:00:01,000")' }]);
  await i18n.changeLanguage('fr');
  try {
    assert.equal(read.problems.map(subtitleNoteText)[0], 'ligne 2\u00a0: le sous-titre finit («\u00a000:00:00,500\u00a0») avant ou au moment où il commence («\u00a000:00:01,000\u00a0»)');
  } finally {
    await i18n.changeLanguage('en');
  }
  assert.equal(subtitleNoteText(read.problems[0]), 'line 2: the caption ends ("00:00:00,500") before or when it starts ("00:00:01,000")');
});

test('warnings are translated too, and a file of nothing but problems says how many more there are', async () => {
  const read = parseSubtitles('WEBVTT\n\n00:00:01.000 --> 00:00:02.000 line:0\n<i>Bonjour</i>\n', 'vtt');
  assert.ok(read.ok);
  await i18n.changeLanguage('fr');
  try {
    assert.deepEqual(read.notes.map(subtitleNoteText), [
      'ligne 3\u00a0: les réglages de position comme «\u00a0line:0\u00a0» sont ignorés\u00a0: les sous-titres gardent la position par défaut',
      'ligne 4\u00a0: les balises de style comme <i> ont été retirées',
    ]);
    const junk = parseSubtitles(Array.from({ length: 25 }, (_, i) => `${i + 1}\nnot a time\n`).join('\n'), 'srt');
    assert.ok(!junk.ok);
    assert.equal(subtitleNoteText(junk.problems.at(-1)!), 'et 5 autres problèmes');
  } finally {
    await i18n.changeLanguage('en');
  }
});
