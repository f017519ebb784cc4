/**
 * Variants: exporting a 30 s reel as 3 formats (9:16, 1:1, 16:9) x 2 languages (fr, en) in one
 * CLI export, as a ratio to exporting the 9:16 French one alone (goal <= 2.5 on 2 cores). Both
 * through the embedded local cloud, from an empty data folder, back to back; best of BENCH_RUNS
 * (default 2) of each.
 *
 *   npx tsx bench/variants.bench.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTestClip } from '../test/fixtures/media';
import { MEDIA, REELS, request, runCli } from './export.bench';

const TRANSLATIONS: Record<string, string> = {
  'Welcome to the Dunes': 'Bienvenue aux Dunes',
  'Rooftop pool\nopen all year': 'Piscine sur le toit\nouverte toute l’année',
  'Book direct': 'Réservez en direct',
};

export interface VariantsBenchResult {
  singleSec: number;
  variantsSec: number;
  ratio: number;
  singleCommand: string;
  variantsCommand: string;
}

export async function runVariantsBench(runs = Number(process.env.BENCH_RUNS ?? 2)): Promise<VariantsBenchResult> {
  await mkdir(MEDIA, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'hospup-variants-bench-'));
  try {
    const reel = REELS.find((r) => r.name === 'reel-30s')!;
    const clips: string[] = [];
    for (const spec of reel.clips) clips.push(await makeTestClip(MEDIA, spec));
    // The French reel alone: the captions in French, 9:16.
    const base = request(reel, clips);
    const french = { ...base, text_overlays: base.text_overlays.map((o) => ({ ...o, content: TRANSLATIONS[o.content] })) };
    const { output: _output, ...rest } = french;
    const variants = {
      ...rest,
      output: { fps: base.output.fps },
      formats: ['9:16', '1:1', '16:9'],
      languages: ['fr', 'en'],
      text_overlays: french.text_overlays.map((o, i) => ({ ...o, translations: { en: base.text_overlays[i].content } })),
    };
    const singleFile = join(work, 'reel-fr.json');
    const variantsFile = join(work, 'Reel.json');
    await writeFile(singleFile, JSON.stringify(french));
    await writeFile(variantsFile, JSON.stringify(variants));
    const singleArgs = ['export', singleFile, '--out', join(work, 'reel-fr.mp4')];
    const variantsArgs = ['export', variantsFile, '--out-dir', join(work, 'variants')];
    let singleSec = Infinity;
    let variantsSec = Infinity;
    for (let r = 0; r < Math.max(1, runs); r++) {
      for (const [args, set] of [[singleArgs, (s: number) => (singleSec = Math.min(singleSec, s))], [variantsArgs, (s: number) => (variantsSec = Math.min(variantsSec, s))]] as const) {
        const dataDir = join(work, `data-${r}`);
        set((await runCli([...args], dataDir)).wallSec);
        await rm(dataDir, { recursive: true, force: true });
      }
    }
    return {
      singleSec,
      variantsSec,
      ratio: variantsSec / singleSec,
      singleCommand: `node bin/hospup.mjs export <30 s reel, 9:16, fr>.json --out reel-fr.mp4`,
      variantsCommand: `node bin/hospup.mjs export <same reel, formats 9:16 1:1 16:9, languages fr en>.json --out-dir variants/`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function variantsBenchLines(r: VariantsBenchResult): string[] {
  return [
    `export.variants_3x2_vs_single_ratio: ${r.ratio.toFixed(3)} (goal <= 2.5; ${r.variantsSec.toFixed(2)} s for 6 videos vs ${r.singleSec.toFixed(2)} s for the 9:16 fr one, best of runs)`,
    `  single: ${r.singleCommand}`,
    `  variants: ${r.variantsCommand}`,
    'reproduce: npx tsx bench/variants.bench.ts',
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of variantsBenchLines(await runVariantsBench())) console.log(line);
}
