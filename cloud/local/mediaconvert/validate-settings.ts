// Refuses, with the JSON pointer, every key or value of a CreateJob payload that the local
// renderer does not implement, so nothing is silently ignored (docs/job-shape.md is the contract).
// Runs after model-check.ts (what AWS itself refuses); both answer CreateJob synchronously with
// BadRequestException, so an unimplemented setting never becomes a job.
import { frameSizeErrors, MAX_FPS_WITH_OVERLAYS } from '../../../shared/request';
import { nominalRate } from '../../../shared/time';
import type { WireJobSettings, WireOutput } from './job-settings';

type Rule =
  | { kind: 'object'; fields: Record<string, Field>; check?: (value: Record<string, unknown>, path: string) => string[] }
  | { kind: 'array'; items: Rule; min: number; max: number; tooMany?: string }
  | { kind: 'map'; values: Rule; min: number; max: number; tooMany?: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number; even?: boolean }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'string'; pattern?: RegExp; describe?: string };

interface Field { rule: Rule; required?: boolean; requiredWhy?: string }

// The model's own patterns are checked first (model-check.ts); these narrow them to what the renderer does.
const TIMECODE = /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]:[0-9]{2}$/;
const S3_URL = /^s3:\/\/[^/]+\/.+/;

/** Outputs of one group the local renderer makes in one pass (a job per format, an output per language). */
export const MAX_OUTPUTS = 10;

const req = (rule: Rule, requiredWhy?: string): Field => ({ rule, required: true, requiredWhy });
const opt = (rule: Rule): Field => ({ rule });
const obj = (fields: Record<string, Field>, check?: (v: Record<string, unknown>, path: string) => string[]): Rule =>
  ({ kind: 'object', fields, check });
const oneOf = (...values: string[]): Rule => ({ kind: 'enum', values });
const int = (min: number, max: number, even = false): Rule => ({ kind: 'int', min, max, even });
const timecode: Rule = { kind: 'string', pattern: TIMECODE, describe: 'a non-drop-frame timecode HH:MM:SS:FF (drop-frame ";" is not implemented by the local MediaConvert)' };
const s3Url: Rule = { kind: 'string', pattern: S3_URL, describe: 'an s3://bucket/key URL' };
const startTimecode: Rule = { kind: 'string', pattern: TIMECODE, describe: 'a non-drop-frame timecode HH:MM:SS:FF (drop-frame ";" is not implemented by the local MediaConvert)' };

const remixSettings = obj({
  channelsIn: req(int(1, 64)),
  channelsOut: req(int(2, 2)),
  channelMapping: req(obj({
    outputChannels: req({ kind: 'array', min: 2, max: 2, items: obj({
      inputChannels: opt({ kind: 'array', min: 1, max: 64, items: int(-60, 6) }),
      inputChannelsFineTune: opt({ kind: 'array', min: 1, max: 64, items: { kind: 'number', min: -60, max: 6 } }),
    }, (out, path) => (out.inputChannels === undefined) === (out.inputChannelsFineTune === undefined)
      ? [`${path}: needs inputChannels or inputChannelsFineTune (one of them)`] : []) }),
  })),
}, (value, path) => {
  const outputs = (value.channelMapping as { outputChannels: { inputChannels?: number[]; inputChannelsFineTune?: number[] }[] }).outputChannels;
  return outputs.flatMap((out, k) => {
    const key = out.inputChannels ? 'inputChannels' : 'inputChannelsFineTune';
    const gains = out[key] ?? [];
    return gains.length === value.channelsIn ? []
      : [`${path}/channelMapping/outputChannels/${k}/${key}: ${gains.length} gains for channelsIn ${value.channelsIn}`];
  });
});

const audioSelector = obj({
  defaultSelection: opt(oneOf('DEFAULT', 'NOT_DEFAULT')),
  selectorType: opt(oneOf('TRACK')),
  tracks: req({ kind: 'array', items: int(1, 1024), min: 1, max: 1, tooMany: 'exactly one track per selector is implemented' }),
  remixSettings: opt(remixSettings),
});

const videoGenerator = obj({
  imageInput: opt({ kind: 'string', pattern: /^s3:\/\/[^/]+\/.+\.png$/i, describe: 'an s3:// URL of a .png image (TGA and BMP are not implemented by the local MediaConvert)' }),
  duration: req(int(1, 86400000)),
  width: opt(int(32, 8192, true)),
  height: opt(int(32, 8192, true)),
  framerateNumerator: opt(int(1, 60000)),
  framerateDenominator: opt(int(1, 1001)),
  channels: opt(int(1, 32)),
  sampleRate: opt(int(32000, 48000)),
}, (value, path) => {
  const problems: string[] = [];
  if ((value.width === undefined) !== (value.height === undefined)) problems.push(`${path}: width and height go together`);
  if ((value.framerateNumerator === undefined) !== (value.framerateDenominator === undefined)) problems.push(`${path}: framerateNumerator and framerateDenominator go together`);
  return problems;
});

const input = obj({
  fileInput: opt(s3Url),
  videoGenerator: opt(videoGenerator),
  timecodeSource: opt(oneOf('ZEROBASED', 'SPECIFIEDSTART')),
  timecodeStart: opt(startTimecode),
  inputClippings: opt({ kind: 'array', min: 1, max: 1, tooMany: 'one clipping per input is implemented',
    items: obj({ startTimecode: opt(timecode), endTimecode: opt(timecode) }) }),
  crop: opt(obj({ x: req(int(0, 8192, true)), y: req(int(0, 8192, true)), width: req(int(2, 8192, true)), height: req(int(2, 8192, true)) })),
  videoSelector: opt(obj({
    rotate: opt(oneOf('AUTO', 'DEGREE_0')),
    colorSpace: opt(oneOf('FOLLOW', 'REC_709', 'HDR10', 'HLG_2020')),
    colorSpaceUsage: opt(oneOf('FORCE', 'FALLBACK')),
  })),
  audioSelectors: opt({ kind: 'map', values: audioSelector, min: 1, max: 1, tooMany: 'one audio selector per input is implemented' }),
}, (value, path) => {
  const problems: string[] = [];
  if ((value.fileInput === undefined) === (value.videoGenerator === undefined)) {
    problems.push(`${path}: needs fileInput or videoGenerator (exactly one: MediaConvert takes a file or generates video, not both)`);
  }
  if (value.videoGenerator !== undefined) {
    for (const key of ['inputClippings', 'audioSelectors', 'videoSelector'] as const) {
      if (value[key] !== undefined) problems.push(`${path}/${key}: is not implemented by the local MediaConvert for a videoGenerator input`);
    }
  }
  if (value.inputClippings !== undefined && value.timecodeSource !== 'ZEROBASED' && value.timecodeSource !== 'SPECIFIEDSTART') {
    problems.push(`${path}/timecodeSource: must be "ZEROBASED" or "SPECIFIEDSTART" when inputClippings are used (embedded timecodes are not implemented by the local MediaConvert)`);
  }
  if (value.timecodeSource === 'SPECIFIEDSTART' && value.timecodeStart === undefined) problems.push(`${path}/timecodeStart: is required with timecodeSource SPECIFIEDSTART by the local MediaConvert`);
  return problems;
});

const insertableImage = obj({
  imageInserterInput: req({ kind: 'string', pattern: /^s3:\/\/[^/]+\/.+\.png$/i, describe: 'an s3:// URL of a .png image' }),
  imageX: opt(int(0, 8192)),
  imageY: opt(int(0, 8192)),
  width: opt(int(1, 8192)),
  height: opt(int(1, 8192)),
  layer: opt(int(0, 99)),
  opacity: opt(int(0, 100)),
  startTime: opt(startTimecode),
  duration: opt(int(0, 2147483647)),
  fadeIn: opt(int(0, 2147483647)),
  fadeOut: opt(int(0, 2147483647)),
});

const h264 = obj({
  rateControlMode: req(oneOf('QVBR'), 'only QVBR rate control is implemented'),
  qvbrSettings: opt(obj({ qvbrQualityLevel: opt(int(1, 10)) })),
  maxBitrate: req(int(1000, 1152000000), 'QVBR needs MaxBitrate'),
  framerateControl: req(oneOf('SPECIFIED'), 'the output frame rate must be SPECIFIED'),
  framerateNumerator: req(int(1, 2147483640)),
  framerateDenominator: req(int(1, 2147483640)),
  framerateConversionAlgorithm: opt(oneOf('DUPLICATE_DROP')),
  gopSize: opt({ kind: 'number', min: 0.001, max: 10000 }),
  gopSizeUnits: opt(oneOf('SECONDS', 'FRAMES')),
  codecProfile: opt(oneOf('HIGH', 'MAIN', 'BASELINE')),
  codecLevel: opt(oneOf('AUTO')),
  sceneChangeDetect: opt(oneOf('TRANSITION_DETECTION', 'ENABLED', 'DISABLED')),
}, (value, path) => {
  const fps = Number(value.framerateNumerator) / Number(value.framerateDenominator);
  return fps > 0 && fps <= 120 ? [] : [`${path}/framerateNumerator: output frame rate must be within (0, 120] fps`];
});

const output = obj({
  nameModifier: opt({ kind: 'string', pattern: /^[^/\\]*$/, describe: 'a name suffix without slashes' }),
  extension: opt(oneOf('mp4')),
  containerSettings: req(obj({
    container: req(oneOf('MP4')),
    mp4Settings: opt(obj({ moovPlacement: opt(oneOf('PROGRESSIVE_DOWNLOAD')) })),
  })),
  videoDescription: req(obj({
    width: req(int(32, 8192, true)),
    height: req(int(32, 8192, true)),
    scalingBehavior: req(oneOf('FILL'), 'only FILL scaling is implemented'),
    antiAlias: opt(oneOf('ENABLED')),
    videoPreprocessors: opt(obj({
      colorCorrector: opt(obj({
        colorSpaceConversion: req(oneOf('FORCE_709'), 'only conversion to BT.709 SDR is implemented'),
        hdrToSdrToneMapper: opt(oneOf('PRESERVE_DETAILS', 'VIBRANT')),
      })),
      imageInserter: opt(obj({
        insertableImages: req({ kind: 'array', items: insertableImage, min: 1, max: 20 }),
      }, (value, path) => uniqueLayers(value.insertableImages, `${path}/insertableImages`))),
    })),
    codecSettings: req(obj({ codec: req(oneOf('H_264')), h264Settings: req(h264) })),
  }, h264Limits)),
  audioDescriptions: req({ kind: 'array', min: 1, max: 1, tooMany: 'one audio description is implemented',
    items: obj({
      audioSourceName: opt({ kind: 'string' }),
      codecSettings: req(obj({
        codec: req(oneOf('AAC')),
        aacSettings: req(obj({
          bitrate: req(int(32000, 320000)),
          codingMode: req(oneOf('CODING_MODE_2_0')),
          sampleRate: req(int(48000, 48000)),
        })),
      })),
    }) }, 'an output without audio is not implemented'),
});

const settingsRule = obj({
  timecodeConfig: opt(obj({ source: opt(oneOf('ZEROBASED')) })),
  inputs: req({ kind: 'array', items: input, min: 1, max: 150 }),
  outputGroups: req({ kind: 'array', min: 1, max: 1, tooMany: 'one output group is implemented', items: obj({
    name: opt({ kind: 'string' }),
    outputGroupSettings: req(obj({
      type: req(oneOf('FILE_GROUP_SETTINGS')),
      fileGroupSettings: req(obj({ destination: req({ kind: 'string', pattern: /^s3:\/\/[^/]+\/.*/, describe: 'an s3:// URL' }) })),
    })),
    outputs: req({ kind: 'array', items: output, min: 1, max: MAX_OUTPUTS, tooMany: `at most ${MAX_OUTPUTS} outputs per group are implemented` }),
  }, (group, path) => outputsDifferOnlyInImages(group.outputs as WireOutput[], `${path}/outputs`)) }),
}, (value, path) => audioSourcesMatch(value as unknown as WireJobSettings, path));

/**
 * Several outputs of a group: AWS requires a name modifier on each, unique within the group
 * (API reference, FileGroupSettings / Output.NameModifier). The local renderer decodes the
 * inputs once and encodes each output, so outputs may differ only in their name and images.
 */
function outputsDifferOnlyInImages(outputs: WireOutput[], path: string): string[] {
  if (outputs.length < 2) return [];
  const problems: string[] = [];
  const names = new Map<string, number>();
  outputs.forEach((out, i) => {
    if (!out.nameModifier) problems.push(`${path}/${i}/nameModifier: is required when a group has several outputs (their files would have the same name)`);
    else if (names.has(out.nameModifier)) problems.push(`${path}/${i}/nameModifier: "${out.nameModifier}" is already output ${names.get(out.nameModifier)}'s; each output needs its own`);
    else names.set(out.nameModifier, i);
  });
  const shape = (out: WireOutput) => {
    const { imageInserter: _images, ...preprocessors } = out.videoDescription.videoPreprocessors ?? {};
    return JSON.stringify({ ...out, nameModifier: undefined, videoDescription: { ...out.videoDescription, videoPreprocessors: preprocessors } });
  };
  outputs.slice(1).forEach((out, k) => {
    if (shape(out) !== shape(outputs[0])) problems.push(`${path}/${k + 1}: differs from output 0 in more than its nameModifier and images, which is not implemented by the local MediaConvert`);
  });
  return problems;
}

/** AWS's H.264 maximum frame, and overlay start times that can name every output frame. */
function h264Limits(value: Record<string, unknown>, path: string): string[] {
  const problems = frameSizeErrors({ width: Number(value.width), height: Number(value.height) })
    .map((e) => `${path}/${e.path.replace(/^output\./, '')}: ${e.message}`);
  const h264 = (value.codecSettings as { h264Settings: { framerateNumerator: number; framerateDenominator: number } }).h264Settings;
  const images = (value.videoPreprocessors as { imageInserter?: unknown } | undefined)?.imageInserter;
  const fps = h264.framerateNumerator / h264.framerateDenominator;
  if (images && nominalRate(fps) > MAX_FPS_WITH_OVERLAYS) {
    problems.push(`${path}/codecSettings/h264Settings/framerateNumerator: ${Math.round(fps * 1000) / 1000} fps is more than image StartTime timecodes can name (frames 00..59)`);
  }
  return problems;
}

function uniqueLayers(images: unknown, path: string): string[] {
  if (!Array.isArray(images)) return [];
  const seen = new Map<number, number>();
  const problems: string[] = [];
  images.forEach((image, i) => {
    const layer = (image as { layer?: number })?.layer ?? 0;
    if (seen.has(layer)) problems.push(`${path}/${i}/layer: ${layer} is already used by image ${seen.get(layer)}; layers must be unique`);
    else seen.set(layer, i);
  });
  return problems;
}

/** Every input's selector must be the one the audio description names (that is what gets mixed). */
function audioSourcesMatch(settings: WireJobSettings, path: string): string[] {
  const description = settings.outputGroups?.[0]?.outputs?.[0]?.audioDescriptions?.[0];
  if (!description || !Array.isArray(settings.inputs)) return [];
  const wanted = description.audioSourceName ?? 'Audio Selector 1';
  const problems: string[] = [];
  settings.inputs.forEach((input, i) => {
    for (const name of Object.keys(input?.audioSelectors ?? {})) {
      if (name !== wanted) {
        problems.push(`${path}/inputs/${i}/audioSelectors: selector "${name}" is not the audio description's source "${wanted}"`);
      }
    }
  });
  return problems;
}

function describeValue(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 80) ?? String(value);
}

function check(rule: Rule, value: unknown, path: string): string[] {
  const notImplemented = `${path || '/'}: ${describeValue(value)} is not implemented by the local MediaConvert`;
  switch (rule.kind) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path || '/'}: must be an object`];
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of Object.keys(record)) {
        if (!(key in rule.fields)) problems.push(`${path}/${key}: is not implemented by the local MediaConvert`);
      }
      for (const [key, field] of Object.entries(rule.fields)) {
        const child = record[key];
        if (child === undefined || child === null) {
          if (field.required) problems.push(`${path}/${key}: is required${field.requiredWhy ? ` (${field.requiredWhy})` : ''}`);
          continue;
        }
        problems.push(...check(field.rule, child, `${path}/${key}`));
      }
      if (problems.length === 0 && rule.check) problems.push(...rule.check(record, path));
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${path || '/'}: must be a list`];
      if (value.length < rule.min) return [`${path || '/'}: needs at least ${rule.min} item(s)`];
      if (value.length > rule.max) {
        return [`${path || '/'}: ${value.length} items is not implemented by the local MediaConvert (${rule.tooMany ?? `at most ${rule.max}`})`];
      }
      return value.flatMap((item, i) => check(rule.items, item, `${path}/${i}`));
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path || '/'}: must be an object`];
      const entries = Object.entries(value);
      if (entries.length < rule.min) return [`${path || '/'}: needs at least ${rule.min} entry`];
      if (entries.length > rule.max) {
        return [`${path || '/'}: ${entries.length} entries is not implemented by the local MediaConvert (${rule.tooMany ?? `at most ${rule.max}`})`];
      }
      return entries.flatMap(([key, item]) => check(rule.values, item, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
    }
    case 'enum':
      if (typeof value !== 'string') return [`${path || '/'}: must be a string`];
      return rule.values.includes(value) ? [] : [notImplemented];
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path || '/'}: must be an integer`];
      if (value < rule.min || value > rule.max) {
        return [rule.min === rule.max ? notImplemented : `${path || '/'}: ${value} is outside ${rule.min}..${rule.max}`];
      }
      if (rule.even && value % 2 !== 0) return [`${path || '/'}: ${value} must be even`];
      return [];
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path || '/'}: must be a number`];
      return value < rule.min || value > rule.max ? [`${path || '/'}: ${value} is outside ${rule.min}..${rule.max}`] : [];
    case 'string':
      if (typeof value !== 'string') return [`${path || '/'}: must be a string`];
      return rule.pattern && !rule.pattern.test(value) ? [`${path || '/'}: ${describeValue(value)} must be ${rule.describe ?? 'valid'}`] : [];
  }
}

export type SettingsCheck = { ok: true; settings: WireJobSettings } | { ok: false; problems: string[] };

/** Checks the wire `settings` object of a CreateJob request; problems name JSON pointers into it (`/inputs/0/...`). */
export function validateJobSettings(settings: unknown): SettingsCheck {
  const problems = check(settingsRule, settings, '');
  return problems.length ? { ok: false, problems } : { ok: true, settings: settings as WireJobSettings };
}

/** Request members outside `settings` that the local MediaConvert understands (others are refused). */
export const IMPLEMENTED_REQUEST_KEYS = ['role', 'settings', 'clientRequestToken', 'userMetadata', 'queue',
  'statusUpdateInterval', 'priority', 'tags', 'billingTagsSource'] as const;

/** Refuses request-level features the renderer does not implement (job templates, acceleration, hop queues...). */
export function unimplementedRequestKeys(request: Record<string, unknown>): string[] {
  return Object.keys(request)
    .filter((key) => !(IMPLEMENTED_REQUEST_KEYS as readonly string[]).includes(key))
    .map((key) => `${key}: is not implemented by the local MediaConvert`);
}
