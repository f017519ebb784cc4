// The REST wire shape (lower-camel keys) of the only MediaConvert job the local renderer
// implements: see docs/job-shape.md. validate-settings.ts proves a payload has this shape.

export interface WireInputClipping {
  startTimecode?: string;
  endTimecode?: string;
}

/** Channel remix: outputChannels[k].inputChannels[j] = gain (dB, -60 = mute) of input channel j in output channel k. */
export interface WireRemixSettings {
  channelsIn: number;
  channelsOut: 2;
  channelMapping: { outputChannels: { inputChannels?: number[]; inputChannelsFineTune?: number[] }[] };
}

export interface WireAudioSelector {
  defaultSelection?: 'DEFAULT' | 'NOT_DEFAULT';
  selectorType?: 'TRACK';
  /** 1-based audio track numbers; exactly one. */
  tracks: number[];
  remixSettings?: WireRemixSettings;
}

export type WireColorSpace = 'FOLLOW' | 'REC_709' | 'HDR10' | 'HLG_2020';

/**
 * A generated input: black frames of width x height at the frame rate for `duration` ms, with
 * `imageInput` (a PNG) drawn over them; silent. The local renderer needs the image to be exactly
 * width x height (AWS does not document how another size is fitted).
 */
export interface WireVideoGenerator {
  imageInput?: string;
  /** Milliseconds. */
  duration: number;
  width?: number;
  height?: number;
  framerateNumerator?: number;
  framerateDenominator?: number;
  channels?: number;
  sampleRate?: number;
}

export interface WireInput {
  /** Absent for a generated input (`videoGenerator`). */
  fileInput?: string;
  videoGenerator?: WireVideoGenerator;
  /** SPECIFIEDSTART shifts the input timeline so frame 0 has `timecodeStart` (clipping above 100 fps). */
  timecodeSource?: 'ZEROBASED' | 'SPECIFIEDSTART';
  timecodeStart?: string;
  inputClippings?: WireInputClipping[];
  /** Part of the picture to use, in upright pixels (after rotation), even numbers. */
  crop?: { x: number; y: number; width: number; height: number };
  videoSelector?: { rotate?: 'AUTO' | 'DEGREE_0'; colorSpace?: WireColorSpace; colorSpaceUsage?: 'FORCE' | 'FALLBACK' };
  audioSelectors?: Record<string, WireAudioSelector>;
}

export interface WireColorCorrector {
  colorSpaceConversion: 'FORCE_709';
  hdrToSdrToneMapper?: 'PRESERVE_DETAILS' | 'VIBRANT';
}

export interface WireInsertableImage {
  imageInserterInput: string;
  imageX?: number;
  imageY?: number;
  width?: number;
  height?: number;
  layer?: number;
  /** Percent, MediaConvert's default is 50. */
  opacity?: number;
  /** HH:MM:SS:FF on the output timeline at the output frame rate. */
  startTime?: string;
  /** Milliseconds; absent = until the end. */
  duration?: number;
  fadeIn?: number;
  fadeOut?: number;
}

export interface WireH264Settings {
  rateControlMode: 'QVBR';
  qvbrSettings?: { qvbrQualityLevel?: number };
  maxBitrate: number;
  framerateControl: 'SPECIFIED';
  framerateNumerator: number;
  framerateDenominator: number;
  framerateConversionAlgorithm?: 'DUPLICATE_DROP';
  gopSize?: number;
  gopSizeUnits?: 'SECONDS' | 'FRAMES';
  codecProfile?: 'HIGH' | 'MAIN' | 'BASELINE';
  codecLevel?: 'AUTO';
  sceneChangeDetect?: 'TRANSITION_DETECTION' | 'ENABLED' | 'DISABLED';
}

export interface WireOutput {
  nameModifier?: string;
  extension?: 'mp4';
  containerSettings: { container: 'MP4'; mp4Settings?: { moovPlacement?: 'PROGRESSIVE_DOWNLOAD' } };
  videoDescription: {
    width: number;
    height: number;
    scalingBehavior: 'FILL';
    antiAlias?: 'ENABLED';
    videoPreprocessors?: { colorCorrector?: WireColorCorrector; imageInserter?: { insertableImages: WireInsertableImage[] } };
    codecSettings: { codec: 'H_264'; h264Settings: WireH264Settings };
  };
  audioDescriptions: {
    audioSourceName?: string;
    codecSettings: {
      codec: 'AAC';
      aacSettings: { bitrate: number; codingMode: 'CODING_MODE_2_0'; sampleRate: number };
    };
  }[];
}

export interface WireJobSettings {
  timecodeConfig?: { source?: 'ZEROBASED' };
  inputs: WireInput[];
  outputGroups: {
    name?: string;
    outputGroupSettings: { type: 'FILE_GROUP_SETTINGS'; fileGroupSettings: { destination: string } };
    outputs: WireOutput[];
  }[];
}

/** Where MediaConvert writes a file group output: <Destination><NameModifier>.<ext>. */
export function outputUrl(settings: WireJobSettings, index = 0): string {
  const group = settings.outputGroups[0];
  const output = group.outputs[index];
  let base = group.outputGroupSettings.fileGroupSettings.destination;
  // A destination that is a "folder" takes the first input's file name, as MediaConvert does.
  if (base.endsWith('/')) base += ((settings.inputs[0].fileInput ?? 'output').split('/').pop() ?? 'output').replace(/\.[^.]*$/, '');
  return `${base}${output.nameModifier ?? ''}.${output.extension ?? 'mp4'}`;
}
