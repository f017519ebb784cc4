// The editor's memoised `t` (renderer/src/i18n/use-translation.ts): same texts as i18next, fewer calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { memoiseTranslate } from '../../renderer/src/i18n/use-translation';

type Translate = Parameters<typeof memoiseTranslate>[0];

async function instance() {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: 'fr',
    fallbackLng: 'en',
    resources: {
      en: { translation: {} },
      fr: { translation: { Split: 'Couper', 'Trim start of {{name}}': 'Début de {{name}}', '{{count}} clips_one': '{{count}} plan', '{{count}} clips_other': '{{count}} plans' } },
    },
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    returnEmptyString: false,
  });
  return i18n;
}

test('memoised t gives i18next’s texts: plain, interpolated, plurals, each language apart', async () => {
  const i18n = await instance();
  for (const lng of ['fr', 'en']) {
    const t = i18n.getFixedT(lng) as unknown as Translate;
    const fast = memoiseTranslate(t) as unknown as (key: string, options?: object) => string;
    const slow = t as unknown as (key: string, options?: object) => string;
    const calls: [string, object?][] = [
      ['Split'],
      ['Trim start of {{name}}', { name: 'red.mp4' }],
      ['Trim start of {{name}}', { name: 'blue.mp4' }],
      ['{{count}} clips', { count: 1 }],
      ['{{count}} clips', { count: 2 }],
      ['{{count}} clips', { count: '2' }],
      ['Not in the table'],
    ];
    for (let round = 0; round < 2; round++) for (const [key, options] of calls) assert.equal(fast(key, options), slow(key, options), `${lng} ${key} ${JSON.stringify(options)}`);
  }
});

test('memoised t asks i18next once per text, and passes through options it cannot key', () => {
  let asked = 0;
  const counting = ((key: string, options?: Record<string, unknown>) => {
    asked++;
    return `${key}|${JSON.stringify(options ?? null)}`;
  }) as unknown as Translate;
  const fast = memoiseTranslate(counting) as unknown as (key: string, options?: object) => string;
  for (let i = 0; i < 5; i++) fast('Split');
  for (let i = 0; i < 5; i++) fast('Hello {{name}}', { name: 'Ana' });
  assert.equal(asked, 2);
  // Different parameters are different texts; "1" and 1 too.
  fast('Hello {{name}}', { name: 'Bo' });
  fast('{{n}}', { n: 1 });
  fast('{{n}}', { n: '1' });
  assert.equal(asked, 5);
  // An object among the options (say, a formatter's settings) is never cached.
  fast('Hello {{name}}', { name: { first: 'Ana' } });
  fast('Hello {{name}}', { name: { first: 'Ana' } });
  assert.equal(asked, 7);
});
