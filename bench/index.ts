/**
 * `npm run bench`: every speed and memory target, each printed with its goal and the command
 * that reproduces it. BENCH_UPLOAD_MIB sets the upload size (default 1024 = 1 GiB).
 */
import { existsSync } from 'node:fs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { join } from 'node:path';
import { runUploadBench } from './upload.bench';
import { runResendBench } from './resend.bench';
import { renderBenchLines, runRenderBench } from './render.bench';
import { hdrProxyLines, runHdrProxyBench } from './hdr-proxy.bench';
import { phoneProxyLines, runPhoneProxyBench } from './phone-proxy.bench';
import { proxySeekLines, runProxySeekBench } from './proxy-seek.bench';
import { exportBenchLines, runExportBench } from './export.bench';
import { runStatusLatencyBench } from './status-latency.bench';
import { runVariantsBench, variantsBenchLines } from './variants.bench';
import { runCaptionLayoutBench } from './caption-layout.bench';

const MiB = 1024 * 1024;

async function section(name: string, run: () => Promise<string[]>): Promise<boolean> {
  console.log(`\n## ${name}`);
  try {
    for (const line of await run()) console.log(line);
    return true;
  } catch (err) {
    console.log(`FAILED: ${(err as Error).message}`);
    return false;
  }
}

const results = [
  await section('Upload to the local store', async () => {
    const mib = Number(process.env.BENCH_UPLOAD_MIB ?? 1024);
    // Three alternating rounds, medians: single rounds swing with the machine's load.
    return (await runUploadBench({ sizeBytes: mib * MiB, repeat: 3, log: (l) => console.error(l) })).lines;
  }),
  await section('Re-export of an unchanged project', async () => (await runResendBench()).lines),
  await section('Local MediaConvert job and the app export (web mode) vs one hand-written ffmpeg command', async () => renderBenchLines(await runRenderBench())),
  await section('Render completion noticed by the exporter (local cloud)', async () => (await runStatusLatencyBench()).lines),
  await section('Whole CLI export through the local cloud vs one hand-written ffmpeg command', async () => exportBenchLines(await runExportBench())),
  await section('Variants: 3 formats x 2 languages of a 30 s reel vs the 9:16 French one alone', async () => variantsBenchLines(await runVariantsBench())),
  await section('Preview proxy of a 10 s 1080p HEVC phone clip', async () => phoneProxyLines(await runPhoneProxyBench())),
  await section('Preview proxy of a 10 s 4K HLG clip (tone-mapped to SDR)', async () => hdrProxyLines(await runHdrProxyBench())),
  await section('First frame after a seek in a preview proxy (Chromium)', async () => proxySeekLines(await runProxySeekBench())),
  await section('Caption layout against caption length', async () => runCaptionLayoutBench()),
];

if (existsSync(join(import.meta.dirname, 'editor.bench.ts'))) {
  // Dynamic: the editor bench needs Chromium; loaded only when present.
  const editorBench = './editor.bench';
  const { runEditorBench } = (await import(editorBench)) as {
    runEditorBench(): Promise<{ name: string; value: number; runs?: number[]; unit: string; goal: string; ok: boolean; reproduce: string }[]>;
  };
  results.push(
    await section('Editor with 1,000 segments and 200 overlays', async () =>
      (await runEditorBench()).map((f) => `${f.name}: ${f.value} ${f.unit}${f.runs ? ` (median of ${f.runs.join(', ')})` : ''} (goal ${f.goal})${f.ok ? '' : ' MISSED'}  [reproduce: ${f.reproduce}]`),
    ),
  );
}

process.exit(results.every(Boolean) ? 0 : 1);
