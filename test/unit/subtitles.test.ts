// Caption files for translators: real SRT/VTT files in, plain cues out, and back to the millisecond.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSrt, formatVtt, parseSubtitles, type Cue, type ParseSubtitlesResult } from '../../shared/subtitles';
import type { FieldError } from '../../shared/validation';

const FRENCH_SRT = `1
00:00:01,000 --> 00:00:03,500
Bienvenue à l'hôtel Les Écrins !

2
00:00:04,000 --> 00:00:06,250
{\\an8}Notre spa est ouvert
de 9 h à 21 h.

3
00:00:06,500 --> 00:00:09,000
<i>Réservez dès maintenant</i> &amp; profitez-en.
`;

const YOUTUBE_VTT = `WEBVTT
Kind: captions
Language: fr

NOTE
Traduit par l'équipe de réception.

STYLE
::cue { color: yellow }

intro
00:00.000 --> 00:02.000 align:start position:0%
<v Marie>Bonjour et bienvenue</v>

00:00:02.000 --> 00:00:04.500 align:start line:80%
<c.yellow>Petit-déjeuner</c> servi&nbsp;jusqu'à <00:00:03.100>10 h

NOTE Cette note
tient sur deux lignes

00:00:04.500 --> 00:01:05.000
Fin &lt;3
`;

function cuesOf(result: ParseSubtitlesResult): Cue[] {
  if (!result.ok) assert.fail(`expected captions, got errors: ${JSON.stringify(result.errors)}`);
  return result.cues;
}

function errorsOf(result: ParseSubtitlesResult): FieldError[] {
  if (result.ok) assert.fail(`expected errors, got ${result.cues.length} captions`);
  return result.errors;
}

test('a French SRT: accents kept, {\\an8} and <i> stripped, &amp; decoded, each with one warning', () => {
  const result = parseSubtitles(FRENCH_SRT);
  assert.equal(result.ok && result.format, 'srt');
  assert.deepEqual(cuesOf(result), [
    { start: 1, end: 3.5, text: "Bienvenue à l'hôtel Les Écrins !" },
    { start: 4, end: 6.25, text: 'Notre spa est ouvert\nde 9 h à 21 h.' },
    { start: 6.5, end: 9, text: 'Réservez dès maintenant & profitez-en.' },
  ]);
  assert.ok(result.ok);
  assert.deepEqual(result.warnings, ['line 7: position tags such as {\\an8} were removed', 'line 12: styling tags such as <i> were removed']);
});

test('a YouTube VTT: header, NOTE and STYLE skipped, identifier and hour-less times read, settings warned once', () => {
  const result = parseSubtitles(YOUTUBE_VTT);
  assert.equal(result.ok && result.format, 'vtt');
  assert.deepEqual(cuesOf(result), [
    { start: 0, end: 2, text: 'Bonjour et bienvenue' },
    { start: 2, end: 4.5, text: "Petit-déjeuner servi\u00a0jusqu'à 10 h" },
    { start: 4.5, end: 65, text: 'Fin <3' },
  ]);
  assert.ok(result.ok);
  const settingsWarnings = result.warnings.filter((w) => w.includes('cue settings'));
  assert.deepEqual(settingsWarnings, ['line 12: cue settings such as "align:start position:0%" are ignored: captions keep the default position']);
});

test('CRLF with a BOM, and lone CR line endings, read like LF', () => {
  const lf = '1\n00:00:01,000 --> 00:00:02,000\nLigne une\nLigne deux\n\n2\n00:00:02,500 --> 00:00:04,000\nÀ bientôt\n';
  const expected = cuesOf(parseSubtitles(lf));
  assert.equal(expected.length, 2);
  assert.deepEqual(cuesOf(parseSubtitles('\ufeff' + lf.replaceAll('\n', '\r\n'))), expected);
  assert.deepEqual(cuesOf(parseSubtitles(lf.replaceAll('\n', '\r'))), expected);
  const vttWithBom = parseSubtitles('\ufeffWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n');
  assert.equal(vttWithBom.ok && vttWithBom.format, 'vtt', 'the BOM does not hide the WEBVTT header');
});

test('SRT numbers are optional and may be out of order; cues come back sorted by start, ties in file order', () => {
  const srt = `7
00:00:05,000 --> 00:00:06,000
troisième

00:00:01,000 --> 00:00:09,000
premier, long

2
00:00:01,000 --> 00:00:02,000
deuxième, même début
`;
  assert.deepEqual(
    cuesOf(parseSubtitles(srt)).map((cue) => cue.text),
    ['premier, long', 'deuxième, même début', 'troisième'],
  );
});

test('trailing whitespace, blank lines made of spaces and no final newline are fine', () => {
  const srt = '\n\n1  \n00:00:01,000 --> 00:00:02,000   \nBonjour   \n   \n2\n00:00:03,000 --> 00:00:04,000\nAu revoir';
  assert.deepEqual(cuesOf(parseSubtitles(srt)), [
    { start: 1, end: 2, text: 'Bonjour' },
    { start: 3, end: 4, text: 'Au revoir' },
  ]);
});

test('captions not separated by a blank line are still two captions, with a warning', () => {
  const result = parseSubtitles('1\n00:00:01,000 --> 00:00:02,000\nUn\n2\n00:00:02,000 --> 00:00:03,000\nDeux\n');
  assert.deepEqual(cuesOf(result), [
    { start: 1, end: 2, text: 'Un' },
    { start: 2, end: 3, text: 'Deux' },
  ]);
  assert.ok(result.ok && result.warnings.some((w) => w.startsWith('line 5: a caption starts without a blank line')));
});

test('a timing line that is not one names its line and shows the expected form', () => {
  const srt = '1\n00:00:01,000 --> 00:00:02,000\nUn\n\n2\n00:00:01.5 --> 00:00:02\nDeux\n';
  assert.deepEqual(errorsOf(parseSubtitles(srt)), [
    { path: 'line 6', message: 'the time "00:00:01.5 --> 00:00:02" is not a timing line like 00:00:01,000 --> 00:00:02,500' },
  ]);
  assert.deepEqual(errorsOf(parseSubtitles('WEBVTT\n\n00:01 --> 00:02\nHi\n')), [
    { path: 'line 3', message: 'the time "00:01 --> 00:02" is not a timing line like 00:00:01.000 --> 00:00:02.500' },
  ]);
  assert.deepEqual(errorsOf(parseSubtitles('1\n00:00:75,000 --> 00:01:00,000\nHi\n')), [
    { path: 'line 2', message: 'the time "00:00:75,000 --> 00:01:00,000" has minutes or seconds above 59' },
  ]);
});

test('a block without a timing line names the line where the timing should be', () => {
  assert.deepEqual(errorsOf(parseSubtitles('1\nBonjour\n')), [
    { path: 'line 2', message: 'expected a timing line like 00:00:01,000 --> 00:00:02,500 here, found "Bonjour"' },
  ]);
  assert.deepEqual(errorsOf(parseSubtitles('1\n00:00:01,000 --> 00:00:02,000\nUn\n\n2\n')), [
    { path: 'line 5', message: 'the caption number "2" is not followed by a timing line like 00:00:01,000 --> 00:00:02,500' },
  ]);
});

test('a caption that ends before or when it starts is an error naming its line', () => {
  const srt = '1\n00:00:01,000 --> 00:00:02,000\nUn\n\n2\n00:00:05,000 --> 00:00:04,000\nDeux\n\n3\n00:00:06,000 --> 00:00:06,000\nTrois\n';
  assert.deepEqual(errorsOf(parseSubtitles(srt)), [
    { path: 'line 6', message: 'the caption ends ("00:00:04,000") before or when it starts ("00:00:05,000")' },
    { path: 'line 10', message: 'the caption ends ("00:00:06,000") before or when it starts ("00:00:06,000")' },
  ]);
});

test('a file with no caption is an error; an empty caption is skipped with a warning', () => {
  const noCaptions = [{ path: '', message: 'the file holds no captions' }];
  assert.deepEqual(errorsOf(parseSubtitles('')), noCaptions);
  assert.deepEqual(errorsOf(parseSubtitles('WEBVTT\n\nNOTE rien ici\n')), noCaptions);
  assert.deepEqual(errorsOf(parseSubtitles('1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n')), noCaptions);
  const result = parseSubtitles('1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nDeux\n');
  assert.deepEqual(cuesOf(result), [{ start: 3, end: 4, text: 'Deux' }]);
  assert.ok(result.ok && result.warnings.includes('line 2: the caption has no text and was skipped'));
});

test('a file that is not captions at all gives a bounded list of errors', () => {
  const notCaptions = Array.from({ length: 30 }, (_, i) => `paragraphe ${i}`).join('\n\n');
  const errors = errorsOf(parseSubtitles(notCaptions));
  assert.equal(errors.length, 21);
  assert.deepEqual(errors[20], { path: '', message: 'and 10 more problems' });
});

test('a format given by the caller wins over detection', () => {
  const result = parseSubtitles('00:01.000 --> 00:02.000\nSans en-tête\n', 'vtt');
  assert.deepEqual(cuesOf(result), [{ start: 1, end: 2, text: 'Sans en-tête' }]);
  assert.ok(result.ok && result.format === 'vtt' && result.warnings[0].includes('does not start with WEBVTT'));
  assert.equal(parseSubtitles('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n', 'srt').ok, false, 'the header is not an SRT caption');
});

test('formatSrt and formatVtt write the standard layout, rounded to the millisecond', () => {
  const cues: Cue[] = [
    { start: 1.0004, end: 3.5, text: "Bienvenue à l'hôtel" },
    { start: 3661.25, end: 3662, text: 'Ligne une\nLigne deux' },
  ];
  assert.equal(
    formatSrt(cues),
    "1\n00:00:01,000 --> 00:00:03,500\nBienvenue à l'hôtel\n\n2\n01:01:01,250 --> 01:01:02,000\nLigne une\nLigne deux\n",
  );
  assert.equal(
    formatVtt(cues),
    "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nBienvenue à l'hôtel\n\n01:01:01.250 --> 01:01:02.000\nLigne une\nLigne deux\n",
  );
  assert.throws(() => formatSrt([{ start: Number.NaN, end: 1, text: 'x' }]), /caption 1 has a time that is negative or not a number/);
});

test('text that would break the file is made safe: blank lines collapsed, --> replaced, & and < escaped in VTT', () => {
  const tricky: Cue[] = [
    { start: 1, end: 2, text: 'Avant\n\n\nAprès' },
    { start: 3, end: 4, text: '00:00:09,000 --> 00:00:10,000\nA --> B' },
    { start: 5, end: 6, text: 'Tom & Jerry <i>pas un tag</i> &amp;' },
  ];
  const srt = formatSrt(tricky);
  assert.ok(!srt.includes('\n\n\n') && !srt.includes('Avant\n\n'), 'no blank line inside a caption');
  assert.ok(srt.includes('00:00:09,000 → 00:00:10,000\nA → B'));
  assert.deepEqual(
    cuesOf(parseSubtitles(srt)).map((cue) => cue.text),
    ['Avant\nAprès', '00:00:09,000 → 00:00:10,000\nA → B', 'Tom & Jerry pas un tag &'],
    'SRT has no escape: markup-looking text is read as markup',
  );
  const vtt = formatVtt(tricky);
  assert.ok(vtt.includes('Tom &amp; Jerry &lt;i>pas un tag&lt;/i> &amp;amp;'));
  assert.deepEqual(
    cuesOf(parseSubtitles(vtt)).map((cue) => cue.text),
    ['Avant\nAprès', '00:00:09,000 → 00:00:10,000\nA → B', 'Tom & Jerry <i>pas un tag</i> &amp;'],
    'VTT escapes, so the words come back exactly',
  );
});

// Round trips over random cues. A fixed seed, so a failure is the same failure on every machine.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261202;
// Words a translator writes; SRT has no escaping, so SRT words avoid what reads as markup or entities.
const SRT_WORDS = ['Bienvenue', "l'hôtel", 'Écrins', 'ÇA', 'déjà', '9 h', '21h30', '€', '→', '« oui »', '😀', 'A & B', '5 < 6', '-', '--', '1', '42', '"quoi"', 'ñ', '日本'];
const VTT_WORDS = [...SRT_WORDS, '<i>', '</b>', '&amp;', '&lt;', '{accolades}', '<v Marie>', 'x>y'];

function randomCues(random: () => number, words: readonly string[]): Cue[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const count = 1 + Math.floor(random() * 12);
  return Array.from({ length: count }, () => {
    const start = random() * 4000; // past an hour, so hours are written and read
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
      Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(words)).join(' '),
    );
    return { start, end: start + 0.002 + random() * 8, text: lines.join('\n') };
  });
}

/** What a round trip promises: times to the millisecond, order by start (stable). */
function expectedAfterRoundTrip(cues: readonly Cue[]): Cue[] {
  const toMs = (seconds: number) => Math.round(seconds * 1000) / 1000;
  return cues.map((cue) => ({ ...cue, start: toMs(cue.start), end: toMs(cue.end) })).sort((a, b) => a.start - b.start);
}

test('round trip: parseSubtitles(formatSrt(cues)) gives the cues back (seeded random cues)', () => {
  const random = seededRandom(SEED);
  for (let run = 0; run < 300; run++) {
    const cues = randomCues(random, SRT_WORDS);
    const result = parseSubtitles(formatSrt(cues));
    assert.deepEqual(cuesOf(result), expectedAfterRoundTrip(cues), `run ${run}`);
    assert.equal(result.ok && result.format, 'srt');
  }
});

test('round trip: parseSubtitles(formatVtt(cues)) gives the cues back, markup-looking words included', () => {
  const random = seededRandom(SEED + 1);
  for (let run = 0; run < 300; run++) {
    const cues = randomCues(random, VTT_WORDS);
    const result = parseSubtitles(formatVtt(cues));
    assert.deepEqual(cuesOf(result), expectedAfterRoundTrip(cues), `run ${run}`);
    assert.equal(result.ok && result.format, 'vtt');
  }
});

test('any text gives a result, never an exception', () => {
  const random = seededRandom(SEED + 2);
  const pieces = ['\n', '\r\n', '\r', ' ', '-->', '00:00:01,000', '00:01.000', '1', 'WEBVTT', 'NOTE', '<i>', '&amp;', '{\\an8}', 'é', '\ufeff'];
  for (let run = 0; run < 500; run++) {
    const text = Array.from({ length: Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const result = parseSubtitles(text);
    assert.ok(result.ok ? result.cues.length > 0 : result.errors.length > 0, JSON.stringify(text));
  }
});
