// Overlay PNGs for MediaConvert's image inserter (cloud/lambda/overlay-png.ts): declared size,
// transparency, colours, position, same SVG as the preview, and an esbuild bundle that finds its
// fonts and wasm beside itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzlibSync } from 'fflate';
import { build } from 'esbuild';
import { loadFontSet, resolveFontDir } from '../../cloud/lambda/fonts-node';
import { renderOverlayPng } from '../../cloud/lambda/overlay-png';
import { FONT_FACES } from '../../shared/fonts/catalog';
import { overlayFrameSvg, renderOverlaySvg, type OverlaySpec } from '../../shared/overlay/index';

const ROOT = resolve(import.meta.dirname, '../..');
const fonts = loadFontSet();
const PORTRAIT = { width: 1080, height: 1920 };

interface Rgba8 {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number, number];
}

/** Minimal PNG decoder: 8-bit RGBA, non-interlaced (what resvg writes). */
function decodePng(png: Uint8Array): Rgba8 {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      assert.equal(data[8], 8, 'bit depth 8');
      assert.equal(data[9], 6, 'colour type RGBA');
      assert.equal(data[12], 0, 'not interlaced');
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = unzlibSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? out[y * stride + i - 4] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? out[(y - 1) * stride + i - 4] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + i] = (line[i] + predictor) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => {
      const i = y * stride + x * 4;
      return [out[i], out[i + 1], out[i + 2], out[i + 3]];
    },
  };
}

function spec(content: string, style: Partial<OverlaySpec['style']> = {}, x = 50, y = 50): OverlaySpec {
  return { content, position: { x, y }, style: { color: '#FFCC00', font_size: 48, ...style } };
}

describe('renderOverlayPng', () => {
  it('places "Hotel Amazing", 24 px, centre (50, 80) at (540, 1536) in a 1080x1920 frame', async () => {
    const r = await renderOverlayPng(spec('Hotel Amazing', { color: '#FFFFFF', font_size: 24 }, 50, 80), PORTRAIT, fonts);
    assert.ok(Math.abs(r.x + r.width / 2 - 540) <= 1, `centre x ${r.x + r.width / 2}`);
    assert.ok(Math.abs(r.y + r.height / 2 - 1536) <= 1, `centre y ${r.y + r.height / 2}`);
    const image = decodePng(r.png);
    assert.equal(image.width, r.width);
    assert.equal(image.height, r.height);
    // The text itself is centred too: its opaque pixels span the middle of the image.
    let minX = Infinity;
    let maxX = -Infinity;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        if (image.pixel(x, y)[3] > 128) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
    }
    assert.ok(Math.abs((minX + maxX + 1) / 2 - image.width / 2) <= 2, `ink spans ${minX}..${maxX} of ${image.width}`);
  });

  it('is transparent outside the text without a background, and draws the text colour', async () => {
    const r = await renderOverlayPng(spec('Welcome\nto the spa', { font_size: 72 }), PORTRAIT, fonts);
    const image = decodePng(r.png);
    assert.equal(image.width, r.width);
    assert.equal(image.height, r.height);
    let opaque = 0;
    let transparent = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const [red, green, blue, alpha] = image.pixel(x, y);
        const border = x === 0 || y === 0 || x === image.width - 1 || y === image.height - 1;
        if (border) assert.equal(alpha, 0, `border pixel (${x}, ${y}) is not transparent`);
        if (alpha === 0) transparent++;
        if (alpha === 255) {
          opaque++;
          assert.deepEqual([red, green, blue], [0xff, 0xcc, 0x00], `opaque pixel (${x}, ${y}) is not the text colour`);
        }
      }
    }
    const total = image.width * image.height;
    assert.ok(opaque > total * 0.1, `only ${opaque} text pixels`);
    assert.ok(transparent > total * 0.4, `only ${transparent} transparent pixels`);
  });

  it('fills the box with a translucent background behind the text', async () => {
    const r = await renderOverlayPng(spec('Late checkout', { color: '#FFFFFF', background: '#10204080' }), PORTRAIT, fonts);
    const image = decodePng(r.png);
    for (const [x, y] of [[0, 0], [image.width - 1, 0], [0, image.height - 1], [image.width - 1, image.height - 1], [2, image.height >> 1]]) {
      const [red, green, blue, alpha] = image.pixel(x, y);
      assert.ok(Math.abs(alpha - 0x80) <= 1, `alpha ${alpha} at (${x}, ${y})`);
      assert.ok(Math.abs(red - 0x10) <= 2 && Math.abs(green - 0x20) <= 2 && Math.abs(blue - 0x40) <= 2, `colour at (${x}, ${y})`);
    }
    let white = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) if (image.pixel(x, y).join() === '255,255,255,255') white++;
    }
    assert.ok(white > 100, `only ${white} white text pixels`);
  });

  it('rasterises exactly the SVG the preview draws', async () => {
    const s = spec('Rooftop bar\nOpen till 2 am', { font_family: 'Montserrat', font_weight: 'regular', align: 'left' }, 30, 20);
    const r = await renderOverlayPng(s, PORTRAIT, fonts);
    const preview = renderOverlaySvg(s, PORTRAIT, fonts);
    assert.equal(r.svg, preview.svg);
    assert.deepEqual({ x: r.x, y: r.y, width: r.width, height: r.height }, preview.layout.box);
    assert.ok(overlayFrameSvg(preview.layout).includes(r.svg));
  });

  it('scales the image with the output width', async () => {
    const s = spec('Sunset dinner', { background: '#000000' });
    const big = await renderOverlayPng(s, { width: 1080, height: 1920 }, fonts);
    const small = await renderOverlayPng(s, { width: 720, height: 1280 }, fonts);
    assert.ok(Math.abs(small.width - (big.width * 2) / 3) <= 1);
    assert.ok(Math.abs(small.height - (big.height * 2) / 3) <= 1);
    assert.equal(decodePng(small.png).width, small.width);
  });
});

describe('loadFontSet', () => {
  it('reads the fonts from an explicit directory or HOSPUP_FONT_DIR, and says which files are missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hospup-fonts-'));
    try {
      assert.throws(() => loadFontSet(dir), /fontDir .* lacks the overlay fonts: Inter_400Regular\.ttf/);
      for (const face of FONT_FACES) copyFileSync(join(ROOT, 'shared/fonts', face.file), join(dir, face.file));
      assert.equal(loadFontSet(dir).faces.size, FONT_FACES.length);
      process.env.HOSPUP_FONT_DIR = join(dir, 'nowhere');
      try {
        assert.throws(() => resolveFontDir(), /HOSPUP_FONT_DIR .*nowhere lacks the overlay fonts/);
      } finally {
        delete process.env.HOSPUP_FONT_DIR;
      }
      assert.equal(resolveFontDir(), join(ROOT, 'shared/fonts'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an esbuild bundle of the renderer', () => {
  for (const format of ['esm', 'cjs'] as const) {
    it(`(${format}) finds its fonts and resvg wasm copied next to it`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `hospup-overlay-${format}-`));
      try {
        const entry = join(dir, 'entry.ts');
        writeFileSync(
          entry,
          `import { loadFontSet } from ${JSON.stringify(join(ROOT, 'cloud/lambda/fonts-node'))};
           import { renderOverlayPng } from ${JSON.stringify(join(ROOT, 'cloud/lambda/overlay-png'))};
           async function main() {
             const r = await renderOverlayPng({ content: 'Hotel Amazing', position: { x: 50, y: 80 },
               style: { color: '#FFFFFF', font_size: 24 } }, { width: 1080, height: 1920 }, loadFontSet());
             console.log(JSON.stringify({ x: r.x, y: r.y, width: r.width, height: r.height, bytes: r.png.length }));
           }
           main().catch((e) => { console.error(e); process.exit(1); });`,
        );
        const out = join(dir, 'dist');
        mkdirSync(join(out, 'fonts'), { recursive: true });
        await build({
          entryPoints: [entry],
          bundle: true,
          platform: 'node',
          format,
          outfile: join(out, format === 'esm' ? 'index.mjs' : 'index.js'),
          logLevel: 'silent',
        });
        for (const face of FONT_FACES) copyFileSync(join(ROOT, 'shared/fonts', face.file), join(out, 'fonts', face.file));
        copyFileSync(join(ROOT, 'node_modules/@resvg/resvg-wasm/index_bg.wasm'), join(out, 'index_bg.wasm'));
        // Run from an unrelated directory, without node_modules in reach.
        const env = { ...process.env };
        delete env.HOSPUP_FONT_DIR;
        delete env.HOSPUP_RESVG_WASM;
        const stdout = execFileSync(process.execPath, [join(out, format === 'esm' ? 'index.mjs' : 'index.js')], { cwd: dir, env, encoding: 'utf8' });
        const result = JSON.parse(stdout);
        const direct = await renderOverlayPng(spec('Hotel Amazing', { color: '#FFFFFF', font_size: 24 }, 50, 80), PORTRAIT, fonts);
        assert.deepEqual(result, { x: direct.x, y: direct.y, width: direct.width, height: direct.height, bytes: direct.png.length });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('(browser) bundles shared/overlay for the browser and draws the same SVG string from fetched bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hospup-overlay-browser-'));
    try {
      const outfile = join(dir, 'overlay.mjs');
      // platform 'browser' resolves opentype.js through its "browser" field, as Vite does; any
      // node:* import in shared/ would fail this build.
      await build({
        entryPoints: [join(ROOT, 'shared/overlay/index.ts')],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        outfile,
        logLevel: 'silent',
      });
      const browser = (await import(outfile)) as typeof import('../../shared/overlay/index');
      const faces = await Promise.all(
        FONT_FACES.map(async (face) => {
          const response = await fetch(`data:font/ttf;base64,${readFileSync(join(ROOT, 'shared/fonts', face.file)).toString('base64')}`);
          return { family: face.family, weight: face.weight, bytes: await response.arrayBuffer() };
        }),
      );
      const browserFonts = browser.createFontSet(faces);
      const s = spec('Bienvenue à l\'hôtel\nAVATAR Tavern', { font_family: 'Playfair Display', background: '#00000080' }, 50, 30);
      const fromBrowserBuild = browser.renderOverlaySvg(s, PORTRAIT, browserFonts).svg;
      const fromLambda = await renderOverlayPng(s, PORTRAIT, fonts);
      assert.equal(fromBrowserBuild, fromLambda.svg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
