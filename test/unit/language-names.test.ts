// Caption language names in the editor (renderer/src/components/variants/languages.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAPTION_LANGUAGES, OFFERED_LANGUAGE_NAMES, intlName, languageName } from '../../renderer/src/components/variants/languages';

test('the offered languages are named as Intl.DisplayNames names them, in both UI languages', () => {
  for (const ui of ['en', 'fr'] as const) {
    for (const code of CAPTION_LANGUAGES) {
      assert.equal(OFFERED_LANGUAGE_NAMES[ui][code], intlName(code, ui), `${code} in ${ui}`);
      assert.equal(languageName(code, ui), intlName(code, ui));
    }
  }
});

test('other codes and UI languages go through Intl; a name is always a string', () => {
  assert.equal(languageName('sv', 'en'), 'Swedish');
  assert.equal(languageName('sv', 'fr'), 'Suédois');
  assert.equal(languageName('en', 'de'), 'Englisch');
  assert.equal(languageName('constructor', 'en'), intlName('constructor', 'en'));
  assert.equal(typeof languageName('toString', 'fr'), 'string');
  assert.equal(languageName('not a code!', 'en'), 'not a code!');
});
