// Variants: a request with formats x languages -> one MediaConvert job per format, one output per
// language, each valid against AWS's model; the contract's field errors; the focus crop.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildJob, buildJobs, type BuildJobDeps } from '../../cloud/lambda/build-job';
import { assertGenerationRequest, parseGenerationRequest, type GenerationRequestInput, type TextOverlay } from '../../shared/request';
import { listVariants, planFormats } from '../../shared/variants';
import { focusCrop, uprightSize } from '../../shared/framing';

const VALIDATOR = join(import.meta.dirname, '../../../shared/tools/mediaconvert-validate');

const rendered: { content: string; frame: string; y: number; size: number }[] = [];
const deps: BuildJobDeps = {
  bucket: 'b',
  outputPrefix: 'generated-videos/',
  overlaysPrefix: 'overlays/',
  roleArn: 'arn:aws:iam::123456789012:role/HospupMediaConvert',
  probe: async () => {
    throw new Error('the request has its facts');
  },
  // A stand-in image per caption: its bytes say what was drawn, so keys differ per text and place.
  renderOverlay: async (overlay: TextOverlay, frame) => {
    rendered.push({ content: overlay.content, frame: `${frame.width}x${frame.height}`, y: overlay.position.y, size: overlay.style.font_size });
    const png = new TextEncoder().encode(JSON.stringify([overlay.content, overlay.position, overlay.style.font_size, frame]));
    return { png, x: 10, y: Math.round((overlay.position.y / 100) * frame.height), width: 100, height: 40 };
  },
  imageSize: async () => {
    throw new Error('no images here');
  },
};

const landscape = { fps: 30, has_audio: true, duration: 10, width: 1920, height: 1080 };

function variantRequest(overrides: Partial<GenerationRequestInput> = {}): GenerationRequestInput {
  return {
    property_id: '1',
    template_id: 't',
    formats: ['9:16', '1:1', '16:9'],
    languages: ['fr', 'en'],
    segments: [
      { video_url: 's3://b/pool.mp4', start_time: 0, end_time: 2, duration: 2, order: 1, focus: { x: 10, y: 50 }, placements: { '1:1': { focus: { x: 90, y: 50 } } }, source: landscape },
      { video_url: 's3://b/pool.mp4', start_time: 4, end_time: 5, duration: 1, order: 2, source: landscape },
    ],
    text_overlays: [
      {
        content: 'Bienvenue', translations: { en: 'Welcome' }, start_time: 0, end_time: 3,
        position: { x: 50, y: 80 }, style: { color: '#FFFFFF', font_size: 60 },
        placements: { '16:9': { position: { x: 50, y: 15 }, font_size: 40 } },
      },
    ],
    ...overrides,
  };
}

describe('variant requests', () => {
  it('3 formats x 2 languages give 3 jobs of 2 outputs: frame per format, captions per language, placements per format', async () => {
    rendered.length = 0;
    const parsed = assertGenerationRequest(variantRequest());
    const jobs = await buildJobs(parsed, deps);
    assert.deepEqual(jobs.map((j) => j.format), ['9:16', '1:1', '16:9']);
    const frames = jobs.map((j) => {
      const outputs = j.createJob.Settings!.OutputGroups![0].Outputs!;
      return outputs.map((o) => `${o.VideoDescription!.Width}x${o.VideoDescription!.Height}${o.NameModifier}`);
    });
    assert.deepEqual(frames, [
      ['1080x1920-9x16-fr', '1080x1920-9x16-en'],
      ['1080x1080-1x1-fr', '1080x1080-1x1-en'],
      ['1920x1080-16x9-fr', '1920x1080-16x9-en'],
    ]);
    assert.deepEqual(jobs.flatMap((j) => j.outputs.map((o) => o.variant.label)), listVariants(parsed.request, parsed.output).map((v) => v.label));
    assert.ok(jobs.every((j) => j.outputs.every((o) => o.url.startsWith('s3://b/generated-videos/') && o.url.endsWith(`-${o.variant.label}.mp4`))));
    // Each language's text was drawn; 16:9 at its own place and size, the others at the caption's.
    // (Formats are built in parallel: compared in a fixed order.)
    const order = ['1080x1920', '1080x1080', '1920x1080'];
    const drawn = rendered.map((r) => `${r.frame} ${r.content} y${r.y} ${r.size}px`).sort((a, b) => order.indexOf(a.split(' ')[0]) - order.indexOf(b.split(' ')[0]) || (a.includes('Bienvenue') ? -1 : 1));
    assert.deepEqual(drawn, [
      '1080x1920 Bienvenue y80 60px', '1080x1920 Welcome y80 60px',
      '1080x1080 Bienvenue y80 60px', '1080x1080 Welcome y80 60px',
      '1920x1080 Bienvenue y15 40px', '1920x1080 Welcome y15 40px',
    ]);
    // The two languages of a job insert different images.
    for (const job of jobs) {
      const [fr, en] = job.createJob.Settings!.OutputGroups![0].Outputs!.map((o) => o.VideoDescription!.VideoPreprocessors!.ImageInserter!.InsertableImages![0].ImageInserterInput);
      assert.notEqual(fr, en);
    }
    // Jobs are keyed by their content: three distinct tokens and destinations.
    assert.equal(new Set(jobs.map((j) => j.createJob.ClientRequestToken)).size, 3);
  });

  it("a segment's focus moves the crop; a format's placement overrides it; no focus = no crop (FILL centres)", async () => {
    const jobs = await buildJobs(assertGenerationRequest(variantRequest()), deps);
    const crops = jobs.map((j) => j.createJob.Settings!.Inputs!.map((input) => input.Crop));
    // 9:16 of a 1920x1080 clip: 606x1080 (even), at the left (focus 10 %); the second segment centred by FILL.
    assert.deepEqual(crops[0], [{ X: 0, Y: 0, Width: 606, Height: 1080 }, undefined]);
    // 1:1 follows its placement (focus 90 %): at the right edge.
    assert.deepEqual(crops[1], [{ X: 840, Y: 0, Width: 1080, Height: 1080 }, undefined]);
    // 16:9 of a 16:9 clip: the whole picture, no crop.
    assert.deepEqual(crops[2], [undefined, undefined]);
  });

  it('a focus without the clip size is refused by its field', async () => {
    const request = variantRequest();
    const { width: _w, height: _h, ...noSize } = landscape;
    request.segments[0] = { ...request.segments[0], source: noSize };
    await assert.rejects(buildJobs(assertGenerationRequest(request), deps), /segments\[0\]\.focus: needs the clip's size/);
  });

  it('every job shape passes the MediaConvert model validator', { skip: !existsSync(VALIDATOR) && 'mediaconvert-validate (../shared/tools) is only on the dev machines' }, async () => {
    const jobs = await buildJobs(assertGenerationRequest(variantRequest()), deps);
    const dir = mkdtempSync(join(tmpdir(), 'hospup-variants-'));
    for (const job of jobs) {
      const file = join(dir, `${job.format.replace(':', 'x')}.json`);
      writeFileSync(file, JSON.stringify(job.createJob));
      assert.match(execFileSync(VALIDATOR, [file], { encoding: 'utf8' }), /valid CreateJob request/, job.format);
    }
  });

  it('a request without formats or languages is one job with one unnamed output, as before', async () => {
    const { formats: _f, languages: _l, ...single } = variantRequest();
    single.text_overlays = single.text_overlays!.map(({ translations: _t, placements: _p, ...o }) => o);
    single.segments = single.segments.map(({ placements: _p, ...s }) => s);
    const job = await buildJob(assertGenerationRequest(single), deps);
    const outputs = job.createJob.Settings!.OutputGroups![0].Outputs!;
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0].NameModifier, undefined);
    assert.match(job.outputUrl, /\/video\.mp4$/);
    assert.equal(planFormats(assertGenerationRequest(single)).length, 1);
  });
});

describe('variant request errors name the field', () => {
  const errorsOf = (input: GenerationRequestInput) => {
    const result = parseGenerationRequest(input);
    assert.ok(!result.ok, 'expected the request to be refused');
    return result.errors.map((e) => `${e.path}: ${e.message}`);
  };
  it('a missing translation, an unknown language, a placement for a format not made, a repeated format, a fixed size with formats', () => {
    const request = variantRequest({ formats: ['9:16', '9:16'], output: { width: 720 } });
    request.text_overlays![0] = { ...request.text_overlays![0], translations: { de: 'Willkommen' }, placements: { '4:5': { font_size: 30 } } };
    const errors = errorsOf(request);
    assert.ok(errors.includes('formats[1]: repeats formats[0] ("9:16"); list each once'), errors.join('\n'));
    assert.ok(errors.includes('output.width: cannot be combined with formats (each format has its own frame, 1080 px on its short side): remove output.width'));
    assert.ok(errors.includes('text_overlays[0].translations.de: "de" is not in languages (fr, en)'));
    assert.ok(errors.some((e) => e.startsWith('text_overlays[0].translations.en: is missing: the caption "Bienvenue" needs its en text')));
    assert.ok(errors.includes('text_overlays[0].placements.4:5: "4:5" is not a format of this request (9:16, 9:16)'));
  });
  it('translations without languages, and a translation of the first language', () => {
    const { languages: _l, ...noLanguages } = variantRequest();
    assert.ok(errorsOf(noLanguages).some((e) => e.startsWith('text_overlays[0].translations.en: needs the request\'s languages')));
    const request = variantRequest();
    request.text_overlays![0] = { ...request.text_overlays![0], translations: { en: 'Welcome', fr: 'Bienvenue' } };
    assert.ok(errorsOf(request).includes('text_overlays[0].translations.fr: "fr" is the first language: its text is the overlay\'s content'));
    assert.ok(errorsOf(variantRequest({ languages: ['french'] })).some((e) => e.startsWith('languages[0]: must be a language code like "fr"')));
  });
});

describe('framing', () => {
  it('the largest crop of the frame shape, centred on the focus, clamped, even', () => {
    assert.deepEqual(focusCrop({ width: 1920, height: 1080 }, { width: 1080, height: 1920 }, { x: 50, y: 50 }), { x: 656, y: 0, width: 606, height: 1080 });
    assert.deepEqual(focusCrop({ width: 1920, height: 1080 }, { width: 1080, height: 1920 }, { x: 100, y: 0 }), { x: 1314, y: 0, width: 606, height: 1080 });
    // A portrait clip in a landscape frame: full width, the focus row.
    assert.deepEqual(focusCrop({ width: 1080, height: 1920 }, { width: 1920, height: 1080 }, { x: 50, y: 20 }), { x: 0, y: 80, width: 1080, height: 606 });
    assert.deepEqual(uprightSize({ width: 1920, height: 1080 }, 90), { width: 1080, height: 1920 });
  });
});
