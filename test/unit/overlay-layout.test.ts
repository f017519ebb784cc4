// Layout rules of text overlays (shared/overlay/layout.ts): wrapping, centring, clamping,
// scaling, alignment, padding, kerning and clear errors, with the real bundled fonts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_CAPTION_LENGTH } from '../../shared/limits';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFontSet, resolveFontDir } from '../../cloud/lambda/fonts-node';
import { FONT_FACES, FONT_FAMILIES } from '../../shared/fonts/catalog';
import {
  createFontSet,
  fontForStyle,
  layoutOverlay,
  measureText,
  shapeText,
  overlayBoxPercent,
  overlayFrameSvg,
  overlayToSvg,
  OverlayError,
  renderOverlaySvg,
  type OverlayLayout,
  type OverlaySpec,
} from '../../shared/overlay/index';

const fonts = loadFontSet();
const PORTRAIT = { width: 1080, height: 1920 };

function spec(content: string, style: Partial<OverlaySpec['style']> = {}, x = 50, y = 50): OverlaySpec {
  return { content, position: { x, y }, style: { color: '#FFFFFF', font_size: 48, ...style } };
}

function centre(layout: OverlayLayout) {
  return { x: layout.box.x + layout.box.width / 2, y: layout.box.y + layout.box.height / 2 };
}

/** Every coordinate of every path in an SVG string. */
function pathCoordinates(svg: string): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [, d] of svg.matchAll(/ d="([^"]*)"/g)) {
    const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    numbers.forEach((n, i) => (i % 2 === 0 ? xs : ys).push(n));
  }
  return { xs, ys };
}

describe('overlay fonts', () => {
  it('loads every bundled face', () => {
    assert.equal(fonts.faces.size, FONT_FACES.length);
    for (const face of FONT_FACES) {
      const loaded = fontForStyle(fonts, { font_family: face.family, font_weight: face.weight });
      assert.equal(loaded.family, face.family);
      assert.equal(loaded.weight, face.weight);
    }
  });

  it('parses a face only when a caption asks for it (a video pays for the fonts it uses)', () => {
    const inter = readFileSync(join(resolveFontDir(), 'Inter_700Bold.ttf'));
    // Montserrat's bytes are not a font: nothing fails until a caption asks for Montserrat.
    const lazy = createFontSet([
      { family: 'Inter', weight: 'bold', bytes: inter },
      { family: 'Montserrat', weight: 'bold', bytes: new Uint8Array([1, 2, 3]) },
    ]);
    assert.equal(lazy.faces.size, 2);
    assert.equal(fontForStyle(lazy, { font_family: 'Inter', font_weight: 'bold' }).family, 'Inter');
    assert.throws(() => fontForStyle(lazy, { font_family: 'Montserrat', font_weight: 'bold' }), /font Montserrat bold: not a readable TTF/);
  });

  it('draws the same outlines whether glyphs are read on demand or parsed up front', async () => {
    const opentype = await import('opentype.js');
    const parse = (opentype.parse ?? (opentype as unknown as { default: typeof opentype }).default.parse) as typeof opentype.parse;
    const texts = ['Welcome to the Dunes', 'Été à l’Hôtel – 20 % « offert »', 'Ærø Łódź ẞ 🏖 ﬁ', 'AV Wa To'];
    for (const face of FONT_FACES) {
      const bytes = readFileSync(join(resolveFontDir(), face.file));
      const lazy = createFontSet([{ family: face.family, weight: face.weight, bytes }]);
      const eagerFace = lazy.faces.get(`${face.family}:${face.weight}`) ?? [...lazy.faces.values()][0];
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const eager = { faces: new Map([[[...lazy.faces.keys()][0], { ...eagerFace, font: parse(buffer) }]]) };
      for (const text of texts) {
        const style = { font_family: face.family, font_weight: face.weight, font_size: 64, color: '#FFFFFF' };
        assert.equal(renderOverlaySvg(spec(text, style), PORTRAIT, lazy).svg, renderOverlaySvg(spec(text, style), PORTRAIT, eager).svg, `${face.file}: ${text}`);
      }
    }
  });

  it('defaults to Inter bold', () => {
    const layout = layoutOverlay(spec('Hi'), PORTRAIT, fonts);
    assert.equal(layout.family, 'Inter');
    assert.equal(layout.weight, 'bold');
    assert.equal(layout.align, 'center');
  });

  it('kerns pairs (GPOS, which opentype.js alone cannot read in these fonts)', () => {
    for (const family of FONT_FAMILIES) {
      const face = fontForStyle(fonts, { font_family: family, font_weight: 'bold' });
      const apart = measureText(face, 'A', 100) + measureText(face, 'V', 100);
      const together = measureText(face, 'AV', 100);
      assert.ok(together < apart - 1, `${family}: AV ${together} should be narrower than A + V ${apart}`);
    }
  });
});

describe('layoutOverlay: size and position', () => {
  it('scales with the frame width: the same spec on a 720 px frame is 2/3 the size', () => {
    const s = spec('Sea view suite\nBreakfast included', { background: '#000000AA', font_size: 60 });
    const big = layoutOverlay(s, { width: 1080, height: 1920 }, fonts);
    const small = layoutOverlay(s, { width: 720, height: 1280 }, fonts);
    assert.equal(big.fontPx, 60);
    assert.equal(small.fontPx, 40);
    assert.deepEqual(small.lines.map((l) => l.text), big.lines.map((l) => l.text));
    assert.ok(Math.abs(small.box.width - (big.box.width * 2) / 3) <= 1, `${small.box.width} vs ${big.box.width}`);
    assert.ok(Math.abs(small.box.height - (big.box.height * 2) / 3) <= 1, `${small.box.height} vs ${big.box.height}`);
    big.lines.forEach((line, i) => {
      assert.ok(Math.abs(small.lines[i].width - (line.width * 2) / 3) < 1e-6);
    });
  });

  it('centres the box on the position, in percent of the frame', () => {
    for (const [x, y] of [[50, 50], [25, 10], [70, 85]]) {
      const layout = layoutOverlay(spec('Rooftop bar', {}, x, y), PORTRAIT, fonts);
      const c = centre(layout);
      assert.ok(Math.abs(c.x - (x / 100) * 1080) <= 0.5, `x centre ${c.x}`);
      assert.ok(Math.abs(c.y - (y / 100) * 1920) <= 0.5, `y centre ${c.y}`);
    }
  });

  it('clamps the box to stay fully inside the frame', () => {
    const topLeft = layoutOverlay(spec('Corner text', { background: '#000000' }, 0, 0), PORTRAIT, fonts);
    assert.equal(topLeft.box.x, 0);
    assert.equal(topLeft.box.y, 0);
    const bottomRight = layoutOverlay(spec('Corner text', { background: '#000000' }, 100, 100), PORTRAIT, fonts);
    assert.equal(bottomRight.box.x + bottomRight.box.width, 1080);
    assert.equal(bottomRight.box.y + bottomRight.box.height, 1920);
    const wide = layoutOverlay(spec('A long line of text that wraps across the frame', { font_size: 90 }, 95, 50), PORTRAIT, fonts);
    assert.ok(wide.box.x >= 0 && wide.box.x + wide.box.width <= 1080);
  });

  it('uses whole pixels for the box', () => {
    const layout = layoutOverlay(spec('Odd sizes are fine', { font_size: 37.3 }, 33.3, 66.7), PORTRAIT, fonts);
    for (const v of Object.values(layout.box)) assert.ok(Number.isInteger(v), `${v} is not whole`);
  });

  it('pads a background box by 0.3 x font px, and only an antialiasing margin without one', () => {
    const s = spec('Spa', { font_size: 100 });
    const bare = layoutOverlay(s, PORTRAIT, fonts);
    const boxed = layoutOverlay({ ...s, style: { ...s.style, background: '#112233' } }, PORTRAIT, fonts);
    assert.ok(Math.abs(boxed.padding.x - 30) <= 0.5, `padding x ${boxed.padding.x}`);
    assert.ok(Math.abs(boxed.padding.y - 30) <= 0.5, `padding y ${boxed.padding.y}`);
    assert.ok(bare.padding.x >= 2 && bare.padding.x <= 3, `padding x ${bare.padding.x}`);
    assert.equal(boxed.box.height - bare.box.height, Math.round(boxed.box.height - bare.box.height));
    assert.ok(boxed.box.width - bare.box.width >= 55);
  });

  it('keeps glyph outlines that stick out of the line box (accents, Playfair) inside the image', () => {
    for (const family of FONT_FAMILIES) {
      // Stacked accents rise above the line box (Inter Ǻ by ~15 px at this size).
      const layout = layoutOverlay(spec('Ệ Ẫ Ǻ Ṻ fjǰ', { font_family: family, font_size: 120 }), PORTRAIT, fonts);
      assert.ok(layout.padding.y > 8, `${family}: padding ${layout.padding.y} did not grow for the accents`);
      const { xs, ys } = pathCoordinates(overlayToSvg(layout));
      assert.ok(Math.min(...xs) >= 1 && Math.max(...xs) <= layout.box.width - 1, `${family} x ink out of box`);
      assert.ok(Math.min(...ys) >= 1 && Math.max(...ys) <= layout.box.height - 1, `${family} y ink out of box`);
    }
  });
});

describe('layoutOverlay: lines', () => {
  it('wraps words greedily at 90% of the frame width', () => {
    const content = 'Wake up to the sound of the waves in our ocean view suites with private terrace';
    const layout = layoutOverlay(spec(content, { font_size: 64 }), PORTRAIT, fonts);
    const face = fontForStyle(fonts, {});
    assert.ok(layout.lines.length >= 3);
    assert.equal(layout.lines.map((l) => l.text).join(' '), content);
    layout.lines.forEach((line, i) => {
      assert.ok(line.width <= 0.9 * 1080, `line ${i} is ${line.width} px`);
      const next = layout.lines[i + 1];
      if (next) {
        const withNextWord = `${line.text} ${next.text.split(' ')[0]}`;
        assert.ok(measureText(face, withNextWord, 64) > 0.9 * 1080, `"${withNextWord}" would have fitted`);
      }
    });
    assert.ok(layout.box.width <= 1080 * 0.9 + 2 * 3);
  });

  it('wraps exactly at the 90% limit: a line just under it stays whole, just over it wraps', () => {
    const face = fontForStyle(fonts, {});
    const text = 'Ocean view suites';
    const at100 = measureText(face, text, 100);
    const fontSizeFor = (ratio: number) => (100 * ratio * 1080) / at100; // frame is 1080 wide: px = font_size
    assert.equal(layoutOverlay(spec(text, { font_size: fontSizeFor(0.89) }), PORTRAIT, fonts).lines.length, 1);
    assert.deepEqual(
      layoutOverlay(spec(text, { font_size: fontSizeFor(0.91) }), PORTRAIT, fonts).lines.map((l) => l.text),
      ['Ocean view', 'suites'],
    );
  });

  it('French typography: never breaks before "%", "!", ":" or inside « », even typed with plain spaces', () => {
    const face = fontForStyle(fonts, {});
    const text = 'Spa et massages –20 %';
    // A size where "%" alone would just not fit on the first line.
    const size = (100 * 0.9 * 1080) / measureText(face, 'Spa et massages –20', 100) - 0.5;
    const lines = layoutOverlay(spec(text, { font_size: size }), PORTRAIT, fonts).lines.map((l) => l.text);
    assert.ok(lines.length >= 2, JSON.stringify(lines));
    assert.ok(!lines.some((l) => /^[%!:]/.test(l)), `a line starts with punctuation: ${JSON.stringify(lines)}`);
    assert.ok(lines.at(-1)!.endsWith('–20\u00a0%'), JSON.stringify(lines));
    const quoted = layoutOverlay(spec('« Bienvenue » à tous !', { font_size: 60 }), PORTRAIT, fonts).lines.map((l) => l.text);
    assert.deepEqual(quoted, ['«\u00a0Bienvenue\u00a0» à tous\u00a0!']);
  });

  it('a narrow no-break space draws as a space in every bundled font (no missing-glyph box)', () => {
    for (const family of FONT_FAMILIES) {
      const face = fontForStyle(fonts, { font_family: family });
      const run = shapeText(face, '20\u202f%', 100);
      assert.ok(run.glyphs.every((g) => g.glyph.index !== 0), `${family} draws a box`);
    }
  });

  it('breaks at \\n, keeps blank lines in the middle, drops outer ones, collapses spaces', () => {
    const layout = layoutOverlay(spec('\n  Lobby   bar \r\n\nOpen\t24h \n\n'), PORTRAIT, fonts);
    assert.deepEqual(layout.lines.map((l) => l.text), ['Lobby bar', '', 'Open 24h']);
    assert.equal(layout.lineHeight, 1.25 * 48);
    assert.equal(layout.lines[1].baseline - layout.lines[0].baseline, layout.lineHeight);
    assert.equal(layout.lines[2].baseline - layout.lines[0].baseline, 2 * layout.lineHeight);
    assert.equal(layout.box.height, Math.ceil(3 * layout.lineHeight + 2 * layout.padding.y - 1e-6));
  });

  it('breaks a single word wider than the line between characters', () => {
    const word = 'W'.repeat(40);
    const layout = layoutOverlay(spec(word, { font_size: 100 }), PORTRAIT, fonts);
    const face = fontForStyle(fonts, {});
    assert.ok(layout.lines.length >= 4);
    assert.equal(layout.lines.map((l) => l.text).join(''), word);
    layout.lines.forEach((line, i) => {
      assert.ok(line.width <= 0.9 * 1080);
      if (i < layout.lines.length - 1) assert.ok(measureText(face, `${line.text}W`, 100) > 0.9 * 1080);
    });
  });

  it('lays out a caption at the length limit (one long word and many short ones)', () => {
    const frame = { width: 4096, height: 4096 };
    const words = layoutOverlay(spec('Suite vue mer '.repeat(MAX_CAPTION_LENGTH / 14).trim(), { font_size: 12 }), frame, fonts);
    assert.ok(words.lines.length > 10 && words.lines.every((l) => l.width <= 0.9 * 4096));
    const word = layoutOverlay(spec('W'.repeat(MAX_CAPTION_LENGTH), { font_size: 12 }), frame, fonts);
    assert.equal(word.lines.map((l) => l.text).join(''), 'W'.repeat(MAX_CAPTION_LENGTH));
  });

  it('wraps exactly like measuring every candidate line anew (the quadratic rule it replaces)', () => {
    // The reference: greedy wrap that shapes each candidate line from scratch.
    const face = fontForStyle(fonts, {});
    const reference = (words: string[], fontPx: number, maxWidth: number): string[] => {
      const fits = (text: string) => shapeText(face, text, fontPx).width <= maxWidth + 1e-6;
      const out: string[] = [];
      let current = '';
      for (const word of words) {
        const candidate = current === '' ? word : `${current} ${word}`;
        if (fits(candidate)) { current = candidate; continue; }
        if (current !== '') out.push(current);
        current = '';
        if (fits(word)) { current = word; continue; }
        for (const char of word) {
          if (current !== '' && !fits(current + char)) { out.push(current); current = ''; }
          current += char;
        }
      }
      out.push(current);
      return out;
    };
    // Kerned pairs (AV, To, Wa), an accent, and default-ignorables (joiner, variation selector).
    const word = fc.array(fc.constantFrom('A', 'V', 'W', 'T', 'a', 'o', 'y', '.', ',', "'", '\u00e9', '\u200d', '\ufe0f'), { minLength: 1, maxLength: 14 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 25 }), fc.integer({ min: 20, max: 140 }), (words, fontSize) => {
        const frame = { width: 1080, height: 100_000 };
        const got = layoutOverlay(spec(words.join(' '), { font_size: fontSize }), frame, fonts).lines.map((l) => l.text);
        assert.deepEqual(got, reference(words, fontSize, 0.9 * 1080));
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('aligns lines left, centre or right inside the text block', () => {
    const content = 'Short\nA much longer line';
    const edges = (align: 'left' | 'center' | 'right') => {
      const layout = layoutOverlay(spec(content, { align }), PORTRAIT, fonts);
      return layout.lines.map((l) => ({ left: l.x, mid: l.x + l.width / 2, right: l.x + l.width }));
    };
    const [l0, l1] = edges('left');
    assert.ok(Math.abs(l0.left - l1.left) < 1e-9 && l0.right < l1.right);
    const [c0, c1] = edges('center');
    assert.ok(Math.abs(c0.mid - c1.mid) < 1e-9 && c0.left > c1.left);
    const [r0, r1] = edges('right');
    assert.ok(Math.abs(r0.right - r1.right) < 1e-9 && r0.left > r1.left);
  });

  it('places glyphs with kerning: the layout advances match the measured line width', () => {
    const layout = layoutOverlay(spec('AVATAR'), PORTRAIT, fonts);
    const [line] = layout.lines;
    assert.deepEqual(line.glyphs.map((g) => g.char).join(''), 'AVATAR');
    assert.equal(line.glyphs[0].x, line.x);
    const face = fontForStyle(fonts, {});
    assert.ok(Math.abs(line.width - measureText(face, 'AVATAR', 48)) < 1e-9);
    assert.ok(line.glyphs.every((g) => g.glyphIndex > 0));
  });

  it('draws one missing-glyph box per emoji, none for its variation selector or joiner', () => {
    // 🛏️ = U+1F6CF U+FE0F; 👩‍🍳 = U+1F469 U+200D U+1F373: three visible code points the fonts lack.
    const [line] = layoutOverlay(spec('Spa 🛏️ 👩‍🍳'), PORTRAIT, fonts).lines;
    assert.deepEqual(line.glyphs.filter((g) => g.glyphIndex === 0).map((g) => g.char), ['🛏', '👩', '🍳']);
    assert.equal(line.glyphs.length, 'Spa'.length + 1 + 1 + 1 + 2);
    const face = fontForStyle(fonts, {});
    assert.equal(measureText(face, 'é\u200b\ufe0f', 48), measureText(face, 'é', 48));
  });
});

describe('layoutOverlay: determinism and SVG', () => {
  it('gives the same layout and the same SVG string for the same input', () => {
    const s = spec('Terrasse & piscine\nchauffée', { font_family: 'Playfair Display', background: '#00000080', align: 'right' }, 40, 70);
    const a = renderOverlaySvg(s, PORTRAIT, fonts);
    const b = renderOverlaySvg(structuredClone(s), PORTRAIT, loadFontSet());
    assert.deepEqual(a.layout, b.layout);
    assert.equal(a.svg, b.svg);
    assert.equal(a.svg, overlayToSvg(a.layout));
  });

  it('draws an SVG of exactly the box, background rect and text paths, no font references', () => {
    const { layout, svg } = renderOverlaySvg(spec('Hi', { color: '#FF000080', background: '#0000FF' }), PORTRAIT, fonts);
    assert.match(svg, new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" width="${layout.box.width}" height="${layout.box.height}" viewBox="0 0 ${layout.box.width} ${layout.box.height}">`));
    assert.match(svg, /<rect x="0" y="0" width="\d+" height="\d+" fill="#0000ff"\/>/);
    assert.match(svg, /<path fill="#ff0000" fill-opacity="0.502" d="M/);
    assert.doesNotMatch(svg, /<text|font-family/);
  });

  it('embeds the very same overlay SVG in the full-frame preview SVG', () => {
    const one = renderOverlaySvg(spec('One', {}, 20, 20), PORTRAIT, fonts);
    const two = renderOverlaySvg(spec('Two', { background: '#000000' }, 80, 80), PORTRAIT, fonts);
    const frameSvg = overlayFrameSvg([one.layout, two.layout]);
    assert.match(frameSvg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1080" height="1920" viewBox="0 0 1080 1920">/);
    assert.ok(frameSvg.includes(`<g transform="translate(${one.layout.box.x} ${one.layout.box.y})">${one.svg}</g>`));
    assert.ok(frameSvg.includes(`<g transform="translate(${two.layout.box.x} ${two.layout.box.y})">${two.svg}</g>`));
    assert.ok(frameSvg.indexOf(one.svg) < frameSvg.indexOf(two.svg));
    const pct = overlayBoxPercent(one.layout);
    assert.ok(Math.abs(pct.left - (one.layout.box.x / 1080) * 100) < 1e-9);
    assert.ok(Math.abs(pct.height - (one.layout.box.height / 1920) * 100) < 1e-9);
  });
});

describe('layoutOverlay: errors name the field', () => {
  const expectError = (s: OverlaySpec, field: string, text: RegExp, frame = PORTRAIT) =>
    assert.throws(
      () => layoutOverlay(s, frame, fonts),
      (error: unknown) => error instanceof OverlayError && error.field === field && text.test(error.message),
    );

  it('rejects an unknown font family with the list of available ones', () => {
    expectError(
      spec('x', { font_family: 'Comic Sans' as never }),
      'style.font_family',
      /^style\.font_family: unknown font family "Comic Sans" \(available: Inter, Montserrat, Playfair Display\)$/,
    );
    expectError(spec('x', { font_weight: 'light' as never }), 'style.font_weight', /unknown font weight "light"/);
  });

  it('rejects bad colours, sizes, positions and empty text', () => {
    expectError(spec('x', { color: 'red' }), 'style.color', /must be a hex colour .*"red"/);
    expectError(spec('x', { background: '#12345' }), 'style.background', /hex colour/);
    expectError(spec('x', { font_size: 0 }), 'style.font_size', /positive number/);
    expectError({ ...spec('x'), position: { x: Number.NaN, y: 5 } }, 'position.x', /must be a number/);
    expectError(spec(' \n \t '), 'content', /visible text/);
    expectError(spec('x', { align: 'justify' as never }), 'style.align', /left, center, right/);
  });

  it('refuses a caption longer than the limit by its field, before any layout work', () => {
    expectError(spec('Bienvenue '.repeat(10_000)), 'content', new RegExp(`^content: is too long: at most ${MAX_CAPTION_LENGTH} characters \\(got 100000\\)$`));
  });

  it('rejects text taller than the frame', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `Line ${i}`).join('\n');
    expectError(spec(lines, { font_size: 100 }), 'style.font_size', /more than the 1080x1920 frame/);
  });
});
