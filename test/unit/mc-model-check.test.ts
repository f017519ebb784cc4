// What AWS refuses at CreateJob, checked by the local MediaConvert with the service model's own
// constraints (model-constraints.json, from botocore): the same refusals as
// ../shared/tools/mediaconvert-validate, plus the rules AWS's API reference states in words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { modelProblems } from '../../cloud/local/mediaconvert/model-check';
import { extractModelConstraints, MODEL_CONSTRAINTS } from '../../scripts/mediaconvert-model';
import { wireImage, wireInput, wireSettings } from '../fixtures/mc-job';

const VALIDATOR = resolve('../shared/tools/mediaconvert-validate');
const hasValidator = existsSync(VALIDATOR) && spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'hospup-mc-model-'));

function request(mutate: (settings: any, request: any) => void = () => {}): Record<string, unknown> {
  const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')], { images: [wireImage()] });
  const body: any = { role: 'arn:aws:iam::000000000000:role/r', settings };
  mutate(settings, body);
  return body;
}

/** AWS's model as botocore has it, through the shared tool: true when it finds no problem. */
function validatorAccepts(body: Record<string, unknown>, name: string): boolean {
  const file = join(work, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(body));
  return spawnSync(VALIDATOR, [file], { encoding: 'utf8' }).status === 0;
}

const IMAGE = '/outputGroups/0/outputs/0/videoDescription/videoPreprocessors/imageInserter/insertableImages/0';

describe('CreateJob checked against the MediaConvert service model', () => {
  it('accepts the job shape the compiler emits', () => {
    assert.deepEqual(modelProblems(request()), []);
    if (hasValidator) assert.equal(validatorAccepts(request(), 'valid'), true);
  });

  // Refused by the model: the local check and botocore's model agree.
  const modelCases: [string, (s: any, r: any) => void, string][] = [
    ['overlay StartTime frames above 59', (s) => { s.outputGroups[0].outputs[0].videoDescription.videoPreprocessors.imageInserter.insertableImages[0].startTime = '00:00:01:75'; },
      `${IMAGE}/startTime: Should match pattern "^((([0-1]\\d)|(2[0-3]))(:[0-5]\\d){2}([:;][0-5]\\d))$"`],
    ['TimecodeStart frames above 59', (s) => { Object.assign(s.inputs[0], { timecodeSource: 'SPECIFIEDSTART', timecodeStart: '00:00:00:60' }); },
      '/inputs/0/timecodeStart: Should match pattern "^((([0-1]\\d)|(2[0-3]))(:[0-5]\\d){2}([:;][0-5]\\d))$"'],
    ['a clipping timecode with three frame digits', (s) => { s.inputs[0].inputClippings[0].endTimecode = '00:00:01:120'; },
      '/inputs/0/inputClippings/0/endTimecode: Should match pattern "^([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9][:;][0-9]{2}(@[0-9]+(\\.[0-9]+)?(:[0-9]+)?)?$"'],
    ['an input that is not a URL', (s) => { s.inputs[0].fileInput = 'clips/a.mp4'; }, '/inputs/0/fileInput: Should match pattern'],
    ['an unknown codec', (s) => { s.outputGroups[0].outputs[0].videoDescription.codecSettings.codec = 'H_999'; },
      '/outputGroups/0/outputs/0/videoDescription/codecSettings/codec: Should be equal to one of the allowed values: '],
    ['a frame rate numerator of 0', (s) => { s.outputGroups[0].outputs[0].videoDescription.codecSettings.h264Settings.framerateNumerator = 0; },
      '/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/framerateNumerator: Should be greater than or equal to 1'],
    ['an opacity of 101', (s) => { s.outputGroups[0].outputs[0].videoDescription.videoPreprocessors.imageInserter.insertableImages[0].opacity = 101; },
      `${IMAGE}/opacity: Should be less than or equal to 100`],
    ['a width that is text', (s) => { s.outputGroups[0].outputs[0].videoDescription.width = '1080'; },
      '/outputGroups/0/outputs/0/videoDescription/width: Should be integer'],
    ['a priority of 51', (_s, r) => { r.priority = 51; }, 'priority: Should be less than or equal to 50'],
    ['no role', (_s, r) => { delete r.role; }, 'role is a required property'],
    ['a misspelt member', (s) => { s.inputs[0].fileInputs = s.inputs[0].fileInput; }, '/inputs/0: fileInputs is not a property of Input'],
  ];
  for (const [label, mutate, expected] of modelCases) {
    it(`refuses ${label}, as the model does`, () => {
      const body = request(mutate);
      const problems = modelProblems(body);
      assert.ok(problems.some((p) => p.startsWith(expected)), `${expected}\nnot in\n${problems.join('\n')}`);
      if (hasValidator) assert.equal(validatorAccepts(body, label), false, 'mediaconvert-validate refuses it too');
    });
  }

  // Stated in the API reference's words, not in the model's machine-readable constraints.
  const documentedCases: [string, (s: any) => void, string][] = [
    ['an image without ImageX ("Required for any image overlay that you specify")', (s) => { delete s.outputGroups[0].outputs[0].videoDescription.videoPreprocessors.imageInserter.insertableImages[0].imageX; },
      `${IMAGE}: imageX is a required property`],
    ['an image without ImageY', (s) => { delete s.outputGroups[0].outputs[0].videoDescription.videoPreprocessors.imageInserter.insertableImages[0].imageY; },
      `${IMAGE}: imageY is a required property`],
    ['a clipping with neither timecode ("may be left blank, but not both")', (s) => { s.inputs[0].inputClippings = [{}]; },
      '/inputs/0/inputClippings/0: Start timecode or End timecode may be left blank, but not both'],
    ['a TimecodeStart without TimecodeSource SPECIFIEDSTART', (s) => { s.inputs[0].timecodeStart = '00:00:10:00'; },
      '/inputs/0/timecodeStart: To use this setting, you must set timecodeSource to SPECIFIEDSTART'],
  ];
  for (const [label, mutate, expected] of documentedCases) {
    it(`refuses ${label}`, () => {
      assert.ok(modelProblems(request(mutate)).includes(expected), JSON.stringify(modelProblems(request(mutate))));
    });
  }

  it('every pattern of the model compiles as a JavaScript regular expression', () => {
    const shapes = JSON.parse(readFileSync(MODEL_CONSTRAINTS, 'utf8')).shapes as Record<string, { members: Record<string, { pattern?: string }> }>;
    const patterns = Object.values(shapes).flatMap((s) => Object.values(s.members).flatMap((m) => (m.pattern ? [m.pattern] : [])));
    assert.ok(patterns.length > 10, `${patterns.length} patterns`);
    for (const pattern of patterns) assert.doesNotThrow(() => new RegExp(pattern), pattern);
  });

  it('model-constraints.json is what the installed botocore model says (skipped without python3 botocore)', (t) => {
    if (!hasValidator) return t.skip('python3 with botocore not installed');
    assert.equal(readFileSync(MODEL_CONSTRAINTS, 'utf8'), extractModelConstraints(), 'run npx tsx scripts/mediaconvert-model.ts');
  });
});
