/**
 * Caption layout time against caption length: the wrap must be linear (doubling the text about
 * doubles the time; the old rule, measuring every candidate line anew, quadrupled it and froze the
 * app for 25-100 s on a 100 KB caption). Reproduce: npx tsx bench/caption-layout.bench.ts
 */
import { loadFontSet } from '../cloud/lambda/fonts-node';
import { MAX_CAPTION_LENGTH } from '../shared/limits';
import { layoutOverlay } from '../shared/overlay';

const fonts = loadFontSet();
const frame = { width: 4096, height: 4096 };

function medianMs(content: string, rounds = 7): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    layoutOverlay({ content, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 12 } }, frame, fonts);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

export function runCaptionLayoutBench(): string[] {
  const words = (n: number) => 'Suite vue mer '.repeat(Math.ceil(n / 14)).slice(0, n).trim();
  const oneWord = (n: number) => 'W'.repeat(n);
  for (let i = 0; i < 5; i++) medianMs(words(MAX_CAPTION_LENGTH), 3); // warm-up (font tables, JIT)
  const lines: string[] = [];
  for (const [name, make] of [['words', words], ['one_word', oneWord]] as const) {
    const quarter = medianMs(make(MAX_CAPTION_LENGTH / 4), 15);
    const full = medianMs(make(MAX_CAPTION_LENGTH), 15);
    lines.push(`caption_layout.${name}_${MAX_CAPTION_LENGTH}_chars_ms: ${full.toFixed(1)} (goal <= 100)`);
    lines.push(`caption_layout.${name}_4x_length_time_ratio: ${(full / quarter).toFixed(2)} (goal <= 5: linear is 4, quadratic 16)`);
  }
  const t0 = performance.now();
  try {
    layoutOverlay({ content: words(100_000), position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 12 } }, frame, fonts);
  } catch {
    // refused by its length: what is timed
  }
  lines.push(`caption_layout.refuse_100kb_ms: ${(performance.now() - t0).toFixed(2)} (goal <= 5; before the limit: 25-100 s)`);
  lines.push('reproduce: npx tsx bench/caption-layout.bench.ts');
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of runCaptionLayoutBench()) console.log(line);
