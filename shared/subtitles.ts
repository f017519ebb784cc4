/**
 * Reading and writing caption files (SubRip `.srt`, WebVTT `.vtt`) so a translator can work on
 * the words: parse into plain cues, edit the text, write the file back.
 *
 * The reader accepts what real files hold (BOM, CRLF, cue settings, NOTE/STYLE blocks, markup)
 * and keeps only timing and plain text; styling and positions are dropped with a warning. The
 * writers make any text safe for the format, so parse(format(cues)) gives the cues back to the
 * millisecond.
 */
import { fillTemplate } from './errors';
import type { FieldError } from './validation';

/**
 * Every problem and warning a caption file can get, by code: the English sentence (with its
 * {{parameters}}) is also the translation key, so the editor says it in its own language.
 */
export const SUBTITLE_NOTE_TEXT = {
  'no-webvtt-header': 'the file does not start with WEBVTT; it was read as WebVTT anyway',
  'no-blank-line': 'a caption starts without a blank line before it',
  'number-without-timing': 'the caption number "{{number}}" is not followed by a timing line like {{example}}',
  'expected-timing': 'expected a timing line like {{example}} here, found "{{found}}"',
  'cue-settings-ignored': 'cue settings such as "{{settings}}" are ignored: captions keep the default position',
  'not-a-timing-line': 'the time "{{time}}" is not a timing line like {{example}}',
  'time-out-of-range': 'the time "{{time}}" has minutes or seconds above 59',
  'ends-before-start': 'the caption ends ("{{end}}") before or when it starts ("{{start}}")',
  'no-text': 'the caption has no text and was skipped',
  'position-tags-removed': 'position tags such as {\\an8} were removed',
  'styling-tags-removed': 'styling tags such as <i> were removed',
  'no-captions': 'the file holds no captions',
  'more-problems': 'and {{count}} more problems',
} as const;

export type SubtitleNoteCode = keyof typeof SUBTITLE_NOTE_TEXT;

/** A problem or warning with where it is (the file's 1-based line; none for the whole file). */
export interface SubtitleNote {
  code: SubtitleNoteCode;
  line?: number;
  params?: Record<string, string | number>;
}

/** A note in English: "line 4: the caption has no text and was skipped". */
export function subtitleNoteText(note: SubtitleNote): string {
  const text = fillTemplate(SUBTITLE_NOTE_TEXT[note.code], note.params);
  return note.line === undefined ? text : `line ${note.line}: ${text}`;
}

/** One caption: times in seconds, text with `\n` between its lines. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

export type SubtitleFormat = 'srt' | 'vtt';

export type ParseSubtitlesResult =
  /** `warnings` in English; `notes` the same, coded (what the editor translates). */
  | { ok: true; format: SubtitleFormat; cues: Cue[]; warnings: string[]; notes: SubtitleNote[] }
  /** `errors` in English, as field errors ("line 3"); `problems` the same, coded. */
  | { ok: false; errors: FieldError[]; problems: SubtitleNote[] };

// ---------------------------------------------------------------------------------------------
// Reading

interface SourceLine {
  /** 1-based, as an editor shows it. */
  number: number;
  text: string;
}

/** A cue as read, before its text is cleaned and its times checked. */
interface RawCue {
  line: number;
  startMs: number;
  endMs: number;
  startText: string;
  endText: string;
  textLines: SourceLine[];
}

type Timing =
  | { ok: true; startMs: number; endMs: number; startText: string; endText: string; settings: string }
  | { ok: false; code: SubtitleNoteCode; params: Record<string, string> };

// A file that is not captions at all (a .docx renamed) would give thousands of errors.
const MAX_ERRORS = 20;

const TIMING_EXAMPLE: Record<SubtitleFormat, string> = {
  srt: '00:00:01,000 --> 00:00:02,500',
  vtt: '00:00:01.000 --> 00:00:02.500',
};

// SRT always writes hours; WebVTT may leave them out. Both separators are seen in the wild.
const TIMESTAMP: Record<SubtitleFormat, RegExp> = {
  srt: /^(\d+):(\d{2}):(\d{2})[,.](\d{3})$/,
  vtt: /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/,
};

const TIMING_LINE = /^(\S+?)\s*-->\s*(\S+)(?:\s+(.*))?$/;
const VTT_HEADER = /^WEBVTT(?=$|[ \t])/;
const VTT_METADATA_BLOCK = /^(?:NOTE|STYLE|REGION)(?=$|[ \t])/;
const SRT_INDEX = /^\d+$/;
/** `{\an8}`, `{\i1}`, `{\pos(10,20)}`: ASS override tags many SRT tools write. */
const POSITION_TAG = /\{\\[^}]*\}/g;
/** `<i>`, `</b>`, `<c.yellow>`, `<v Name>`, `<font color="red">`, and karaoke `<00:00:01.319>`. */
const MARKUP_TAG = /<\/?[a-zA-Z][^<>]*>|<(?:\d+:)?\d{2}:\d{2}[.,]\d{3}>/g;
const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z]+);/gi;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  quot: '"',
  apos: "'",
  lrm: '\u200e',
  rlm: '\u200f',
};

/** Collects errors and warnings; some warnings are worth saying once per file, not per cue. */
class Report {
  readonly problems: SubtitleNote[] = [];
  readonly notes: SubtitleNote[] = [];
  private readonly saidOnce = new Set<string>();

  error(line: number, code: SubtitleNoteCode, params?: Record<string, string | number>): void {
    this.problems.push({ code, line, ...(params && { params }) });
  }

  warn(line: number, code: SubtitleNoteCode, params?: Record<string, string | number>): void {
    this.notes.push({ code, line, ...(params && { params }) });
  }

  warnOnce(line: number, code: SubtitleNoteCode, params?: Record<string, string | number>): void {
    if (this.saidOnce.has(code)) return;
    this.saidOnce.add(code);
    this.warn(line, code, params);
  }
}

function failed(problems: SubtitleNote[]): Extract<ParseSubtitlesResult, { ok: false }> {
  return {
    ok: false,
    problems,
    errors: problems.map((p) => ({ path: p.line === undefined ? '' : `line ${p.line}`, message: fillTemplate(SUBTITLE_NOTE_TEXT[p.code], p.params) })),
  };
}

export function parseSubtitles(text: string, format?: SubtitleFormat): ParseSubtitlesResult {
  const lines = toLines(text);
  const detected = format ?? detectFormat(lines);
  const report = new Report();
  const blocks = splitBlocks(lines);
  const cueBlocks = detected === 'vtt' ? dropVttHeaderAndMetadata(blocks, report) : blocks;
  const rawCues = cueBlocks.flatMap((block) => readCueBlock(block, detected, report));
  const cues = finishCues(rawCues, report);
  if (report.problems.length > 0) return failed(capProblems(report.problems));
  if (cues.length === 0) return failed([{ code: 'no-captions' }]);
  return { ok: true, format: detected, cues: sortByStart(cues), warnings: report.notes.map(subtitleNoteText), notes: report.notes };
}

/** Lines without the BOM, whatever the line endings (CRLF from Windows, lone CR from old Macs). */
function toLines(text: string): SourceLine[] {
  // trim() below would also drop a BOM, but only by accident of its definition: say it here.
  const withoutBom = text.startsWith('\ufeff') ? text.slice(1) : text;
  return withoutBom.split(/\r\n|\r|\n/).map((line, index) => ({ number: index + 1, text: line.trim() }));
}

function detectFormat(lines: readonly SourceLine[]): SubtitleFormat {
  const first = lines.find((line) => line.text !== '');
  return first && VTT_HEADER.test(first.text) ? 'vtt' : 'srt';
}

/** Runs of non-blank lines: both formats separate cues with a blank line. */
function splitBlocks(lines: readonly SourceLine[]): SourceLine[][] {
  const blocks: SourceLine[][] = [];
  let current: SourceLine[] = [];
  for (const line of lines) {
    if (line.text !== '') {
      current.push(line);
    } else if (current.length > 0) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function dropVttHeaderAndMetadata(blocks: SourceLine[][], report: Report): SourceLine[][] {
  const [first, ...rest] = blocks;
  if (!first) return blocks;
  const hasHeader = VTT_HEADER.test(first[0].text);
  if (!hasHeader) report.warn(first[0].number, 'no-webvtt-header');
  return (hasHeader ? rest : blocks).filter((block) => !VTT_METADATA_BLOCK.test(block[0].text));
}

/**
 * One block gives one cue, or several when the file forgot the blank line between captions.
 * The timing line comes first, or second after an SRT number or a VTT identifier.
 */
function readCueBlock(block: readonly SourceLine[], format: SubtitleFormat, report: Report): RawCue[] {
  const timingIndex = block[0].text.includes('-->') ? 0 : block[1]?.text.includes('-->') ? 1 : -1;
  if (timingIndex === -1) {
    reportMissingTiming(block, format, report);
    return [];
  }
  const first = parseTimingLine(block[timingIndex].text, format);
  if (!first.ok) {
    report.error(block[timingIndex].number, first.code, first.params);
    return [];
  }
  const cues = [startCue(block[timingIndex], first, report)];
  for (const line of block.slice(timingIndex + 1)) {
    const current = cues[cues.length - 1];
    const timing = line.text.includes('-->') ? parseTimingLine(line.text, format) : undefined;
    // A text line that merely contains "-->" stays text; only a real timing line starts a cue.
    if (!timing?.ok) {
      current.textLines.push(line);
      continue;
    }
    report.warnOnce(line.number, 'no-blank-line');
    if (current.textLines.length > 0 && SRT_INDEX.test(current.textLines[current.textLines.length - 1].text)) current.textLines.pop();
    cues.push(startCue(line, timing, report));
  }
  return cues;
}

function reportMissingTiming(block: readonly SourceLine[], format: SubtitleFormat, report: Report): void {
  const example = TIMING_EXAMPLE[format];
  const afterNumber = SRT_INDEX.test(block[0].text);
  if (afterNumber && block.length === 1) {
    report.error(block[0].number, 'number-without-timing', { number: block[0].text, example });
    return;
  }
  const line = afterNumber ? block[1] : block[0];
  report.error(line.number, 'expected-timing', { example, found: shorten(line.text) });
}

function startCue(line: SourceLine, timing: Extract<Timing, { ok: true }>, report: Report): RawCue {
  if (timing.settings !== '') {
    report.warnOnce(line.number, 'cue-settings-ignored', { settings: shorten(timing.settings) });
  }
  return {
    line: line.number,
    startMs: timing.startMs,
    endMs: timing.endMs,
    startText: timing.startText,
    endText: timing.endText,
    textLines: [],
  };
}

function parseTimingLine(text: string, format: SubtitleFormat): Timing {
  const notTiming: Timing = { ok: false, code: 'not-a-timing-line', params: { time: shorten(text), example: TIMING_EXAMPLE[format] } };
  const match = TIMING_LINE.exec(text);
  if (!match) return notTiming;
  const [, startText, endText, settings = ''] = match;
  const start = parseTimestamp(startText, format);
  const end = parseTimestamp(endText, format);
  if (start === 'malformed' || end === 'malformed') return notTiming;
  if (start === 'out of range' || end === 'out of range') {
    return { ok: false, code: 'time-out-of-range', params: { time: shorten(text) } };
  }
  return { ok: true, startMs: start, endMs: end, startText, endText, settings: settings.trim() };
}

/** Whole milliseconds, so times stay exact through a round trip. */
function parseTimestamp(text: string, format: SubtitleFormat): number | 'malformed' | 'out of range' {
  const match = TIMESTAMP[format].exec(text);
  if (!match) return 'malformed';
  const [hours, minutes, seconds, millis] = match.slice(1).map((part) => Number(part ?? 0));
  if (minutes > 59 || seconds > 59) return 'out of range';
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

function finishCues(rawCues: readonly RawCue[], report: Report): Cue[] {
  const cues: Cue[] = [];
  for (const raw of rawCues) {
    if (raw.endMs <= raw.startMs) {
      report.error(raw.line, 'ends-before-start', { end: raw.endText, start: raw.startText });
      continue;
    }
    const text = cleanText(raw.textLines, report);
    if (text === '') {
      report.warn(raw.line, 'no-text');
      continue;
    }
    cues.push({ start: raw.startMs / 1000, end: raw.endMs / 1000, text });
  }
  return cues;
}

/** Plain words only: tags out, entities decoded, lines trimmed, empty lines dropped. */
function cleanText(lines: readonly SourceLine[], report: Report): string {
  return lines
    .map((line) => decodeEntities(stripMarkup(line, report)).trim())
    .filter((line) => line !== '')
    .join('\n');
}

function stripMarkup(line: SourceLine, report: Report): string {
  const withoutPosition = line.text.replace(POSITION_TAG, '');
  if (withoutPosition !== line.text) report.warnOnce(line.number, 'position-tags-removed');
  const withoutTags = withoutPosition.replace(MARKUP_TAG, '');
  if (withoutTags !== withoutPosition) report.warnOnce(line.number, 'styling-tags-removed');
  return withoutTags;
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (entity, name: string) => {
    if (!name.startsWith('#')) return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
  });
}

/** Stable (Array.prototype.sort is), so overlapping cues keep the file's order. */
function sortByStart(cues: Cue[]): Cue[] {
  return cues.sort((a, b) => a.start - b.start);
}

function capProblems(problems: SubtitleNote[]): SubtitleNote[] {
  if (problems.length <= MAX_ERRORS) return problems;
  return [...problems.slice(0, MAX_ERRORS), { code: 'more-problems', params: { count: problems.length - MAX_ERRORS } }];
}

function shorten(text: string): string {
  return text.length > 60 ? text.slice(0, 60) + '…' : text;
}

// ---------------------------------------------------------------------------------------------
// Writing

export function formatSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, index) => {
      const timing = `${formatTimestamp(cue.start, ',', index)} --> ${formatTimestamp(cue.end, ',', index)}`;
      return [String(index + 1), timing, ...safeTextLines(cue.text)].join('\n') + '\n';
    })
    .join('\n');
}

export function formatVtt(cues: readonly Cue[]): string {
  const blocks = cues.map((cue, index) => {
    const timing = `${formatTimestamp(cue.start, '.', index)} --> ${formatTimestamp(cue.end, '.', index)}`;
    return [timing, ...safeTextLines(cue.text).map(escapeVtt)].join('\n') + '\n';
  });
  return 'WEBVTT\n\n' + blocks.join('\n');
}

/** `HH:MM:SS,mmm`, rounded to the millisecond; hours grow past two digits rather than wrap. */
function formatTimestamp(seconds: number, separator: ',' | '.', cueIndex: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`caption ${cueIndex + 1} has a time that is negative or not a number (${seconds})`);
  }
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const totalSeconds = Math.floor(totalMs / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor(totalSeconds / 60) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(totalSeconds % 60)}${separator}${pad(ms, 3)}`;
}

/** A blank line would end the cue and a "-->" line would start one: neither may survive. */
function safeTextLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim().replaceAll('-->', '→'))
    .filter((line) => line !== '');
}

/** In WebVTT `&` and `<` begin entities and tags; the reader decodes these back. */
function escapeVtt(line: string): string {
  return line.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
}
