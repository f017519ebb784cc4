/**
 * Renders a text overlay to the transparent PNG that MediaConvert's image inserter places at
 * output pixels: `shared/overlay` lays it out and draws it as SVG (the very string the editor
 * preview shows), resvg (WebAssembly, no system fonts: text is already outlines) rasterises it.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import type { FontSet } from '../../shared/overlay/font';
import { renderOverlaySvg } from '../../shared/overlay/index';
import type { FrameSize, OverlayLayout, OverlaySpec } from '../../shared/overlay/types';
import { moduleDir } from './fonts-node';

/** A path or URL of the .wasm file, its bytes, or anything else `initWasm` takes (e.g. a compiled module). */
export type ResvgWasmSource = string | URL | Uint8Array | ArrayBuffer | Parameters<typeof initWasm>[0];

let ready: Promise<void> | undefined;

/**
 * Initialises resvg's WebAssembly once per process (later calls return the same promise).
 * Where the wasm comes from, first that applies: the argument (path, URL, bytes or compiled
 * module), env `HOSPUP_RESVG_WASM`, `index_bg.wasm` or `resvg.wasm` next to this module (a
 * bundle with the file copied beside it), `@resvg/resvg-wasm/index_bg.wasm` in node_modules.
 */
export function initResvg(wasm?: ResvgWasmSource): Promise<void> {
  ready ??= (async () => {
    const source = wasm ?? process.env.HOSPUP_RESVG_WASM ?? defaultWasmPath();
    const input = typeof source === 'string' || source instanceof URL ? await readFile(source) : source;
    await initWasm(input);
  })().catch((error: unknown) => {
    ready = undefined; // let a later call retry, e.g. with another path
    throw new Error(`cannot initialise resvg (overlay rasteriser): ${(error as Error).message}`);
  });
  return ready;
}

function defaultWasmPath(): string {
  const here = moduleDir();
  for (const name of ['index_bg.wasm', 'resvg.wasm']) {
    if (here && existsSync(join(here, name))) return join(here, name);
  }
  const require = createRequire(here ? join(here, 'noop.js') : join(process.cwd(), 'noop.js'));
  return require.resolve('@resvg/resvg-wasm/index_bg.wasm');
}

export interface OverlayPng {
  /** RGBA PNG of exactly width x height output pixels, transparent where there is no text/box. */
  png: Buffer;
  /** Top-left in the output frame (MediaConvert ImageX / ImageY). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The SVG that was rasterised (identical to what the editor preview draws). */
  svg: string;
  layout: OverlayLayout;
}

/** Lays out, draws and rasterises one overlay for a frame of output pixels. */
export async function renderOverlayPng(spec: OverlaySpec, frame: FrameSize, fonts: FontSet): Promise<OverlayPng> {
  const { layout, svg } = renderOverlaySvg(spec, frame, fonts);
  await initResvg();
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false },
    fitTo: { mode: 'original' },
    shapeRendering: 2, // geometricPrecision: antialiased, like a browser
  });
  const image = resvg.render();
  try {
    if (image.width !== layout.box.width || image.height !== layout.box.height) {
      throw new Error(
        `resvg produced ${image.width}x${image.height}, expected the overlay box ${layout.box.width}x${layout.box.height}`,
      );
    }
    const png = Buffer.from(image.asPng());
    return { png, ...layout.box, svg, layout };
  } finally {
    image.free();
    resvg.free();
  }
}
