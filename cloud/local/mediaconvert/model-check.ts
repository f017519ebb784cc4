/**
 * What AWS's MediaConvert refuses at CreateJob (BadRequestException, HTTP 400), before any job
 * exists: every member against the service model's constraints (model-constraints.json, read
 * from botocore's model by scripts/mediaconvert-model.ts: types, enums, min/max, patterns), plus
 * the rules the API reference states in words. Messages copy AWS's style: a JSON pointer into
 * the settings, then the rule ("/outputGroups/0/outputs/0: containerSettings is a required
 * property", "/outputGroups/0/outputs: Should have at least 1 items").
 * What the local renderer does not implement is refused afterwards by validate-settings.ts.
 */
import model from './model-constraints.json' with { type: 'json' };

interface MemberModel {
  sdkName: string;
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  shape?: string;
  items?: { type: string; shape: string };
  values?: { type: string; shape: string };
}

interface ShapeModel {
  required: string[];
  members: Record<string, MemberModel>;
}

const SHAPES = model.shapes as unknown as Record<string, ShapeModel>;
export const MODEL_API_VERSION = model.apiVersion;

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source)));
  return re;
}

/** The model's constraints of one member (for rules that narrow them further). */
export function modelMember(shape: string, member: string): MemberModel {
  const found = SHAPES[shape]?.members[member];
  if (!found) throw new Error(`model-constraints.json has no ${shape}.${member}: rerun scripts/mediaconvert-model.ts`);
  return found;
}

function typeProblem(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'string': return typeof value === 'string' ? undefined : 'Should be string';
    case 'integer':
    case 'long': return typeof value === 'number' && Number.isInteger(value) ? undefined : 'Should be integer';
    case 'double':
    case 'float': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Should be number';
    case 'boolean': return typeof value === 'boolean' ? undefined : 'Should be boolean';
    case 'list': return Array.isArray(value) ? undefined : 'Should be array';
    case 'structure':
    case 'map': return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'Should be object';
    default: return undefined;
  }
}

function checkValue(member: Pick<MemberModel, 'type' | 'min' | 'max' | 'pattern' | 'enum' | 'shape' | 'items' | 'values'>, value: unknown, pointer: string, out: string[]): void {
  const wrongType = typeProblem(member.type, value);
  if (wrongType) {
    out.push(`${pointer}: ${wrongType}`);
    return;
  }
  switch (member.type) {
    case 'string': {
      const text = value as string;
      if (member.enum && !member.enum.includes(text)) out.push(`${pointer}: Should be equal to one of the allowed values: ${member.enum.join(', ')}`);
      if (member.min !== undefined && text.length < member.min) out.push(`${pointer}: Should NOT be shorter than ${member.min} characters`);
      if (member.max !== undefined && text.length > member.max) out.push(`${pointer}: Should NOT be longer than ${member.max} characters`);
      if (member.pattern && !patternOf(member.pattern).test(text)) out.push(`${pointer}: Should match pattern "${member.pattern}"`);
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const n = value as number;
      if (member.min !== undefined && n < member.min) out.push(`${pointer}: Should be greater than or equal to ${member.min}`);
      if (member.max !== undefined && n > member.max) out.push(`${pointer}: Should be less than or equal to ${member.max}`);
      return;
    }
    case 'list': {
      const list = value as unknown[];
      if (member.min !== undefined && list.length < member.min) out.push(`${pointer}: Should have at least ${member.min} items`);
      if (member.max !== undefined && list.length > member.max) out.push(`${pointer}: Should have at most ${member.max} items`);
      list.forEach((item, i) => checkValue(member.items!, item, `${pointer}/${i}`, out));
      return;
    }
    case 'map':
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) checkValue(member.values!, item, `${pointer}/${escapePointer(key)}`, out);
      return;
    case 'structure':
      if (member.shape && SHAPES[member.shape]) checkShape(member.shape, value as Record<string, unknown>, pointer, out);
  }
}

function checkShape(shapeName: string, value: Record<string, unknown>, pointer: string, out: string[]): void {
  const shape = SHAPES[shapeName];
  for (const required of shape.required) {
    if (value[required] === undefined || value[required] === null) out.push(`${pointer || '/'}: ${required} is a required property`);
  }
  for (const [key, child] of Object.entries(value)) {
    const member = shape.members[key];
    if (child === undefined || child === null) continue;
    if (!member) {
      out.push(`${pointer || '/'}: ${key} is not a property of ${shapeName}`);
      continue;
    }
    checkValue(member, child, `${pointer}/${key}`, out);
  }
  for (const rule of DOCUMENTED_RULES[shapeName] ?? []) out.push(...rule(value, pointer || '/'));
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

type Rule = (value: Record<string, unknown>, pointer: string) => string[];

/**
 * Rules the API reference states in prose (AWS Elemental MediaConvert API Reference, "Jobs",
 * the members' descriptions; the same sentences are in the model's documentation strings).
 */
const DOCUMENTED_RULES: Record<string, Rule[]> = {
  // ImageX / ImageY: "Required for any image overlay that you specify."
  InsertableImage: [(image, at) => ['imageX', 'imageY'].filter((k) => image[k] === undefined).map((k) => `${at}: ${k} is a required property`)],
  // "Start timecode or End timecode may be left blank, but not both."
  InputClipping: [(clip, at) => (clip.startTimecode === undefined && clip.endTimecode === undefined
    ? [`${at}: Start timecode or End timecode may be left blank, but not both`] : [])],
  // TimecodeStart: "To use this setting, you must set the Timecode source setting ... to Specified start."
  Input: [(input, at) => (input.timecodeStart !== undefined && input.timecodeSource !== 'SPECIFIEDSTART'
    ? [`${at}/timecodeStart: To use this setting, you must set timecodeSource to SPECIFIEDSTART`] : [])],
};

/** Problems AWS would answer CreateJob with, for the REST wire body (lower-camel members). */
export function modelProblems(request: Record<string, unknown>): string[] {
  const out: string[] = [];
  const shape = SHAPES.CreateJobRequest;
  for (const required of shape.required) {
    if (request[required] === undefined || request[required] === null) out.push(`${required} is a required property`);
  }
  for (const [key, value] of Object.entries(request)) {
    const member = shape.members[key];
    if (!member || value === undefined || value === null) continue; // unknown request members: validate-settings.ts
    if (key === 'settings') {
      if (typeProblem('structure', value)) out.push(`settings: Should be object`);
      else checkShape('JobSettings', value as Record<string, unknown>, '', out);
      continue;
    }
    checkValue(member, value, key, out);
  }
  return out;
}
