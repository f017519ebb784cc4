/**
 * cloud/local/mediaconvert/model-constraints.json: the constraints AWS's MediaConvert service
 * model puts on the members the local MediaConvert accepts (types, enums, min/max, patterns,
 * required members), read from the model botocore ships — the same model ../shared/tools/mediaconvert-validate checks against.
 * The local MediaConvert validates CreateJob with this file, so its patterns are the model's.
 *
 *   npx tsx scripts/mediaconvert-model.ts           write the file (needs python3 with botocore)
 *   npx tsx scripts/mediaconvert-model.ts --check   exit 1 if it differs from the installed model
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MODEL_CONSTRAINTS = join(ROOT, 'cloud/local/mediaconvert/model-constraints.json');

/** The shapes on the path of every member the local renderer implements (validate-settings.ts). */
export const MODEL_SHAPES = [
  'CreateJobRequest', 'JobSettings', 'TimecodeConfig', 'Input', 'InputVideoGenerator', 'InputClipping', 'VideoSelector', 'AudioSelector',
  'RemixSettings', 'ChannelMapping', 'OutputChannelMapping', 'OutputGroup', 'OutputGroupSettings', 'FileGroupSettings',
  'Output', 'ContainerSettings', 'Mp4Settings', 'VideoDescription', 'VideoPreprocessor', 'ColorCorrector', 'ImageInserter',
  'InsertableImage', 'VideoCodecSettings', 'H264Settings', 'H264QvbrSettings', 'AudioDescription', 'AudioCodecSettings',
  'AacSettings',
];

const EXTRACT = String.raw`
import json, sys
import botocore, botocore.session
model = botocore.session.get_session().get_service_model("mediaconvert")
shapes = {}
for name in sys.argv[1:]:
    shape = model.shape_for(name)
    members = {}
    for member_name, member in shape.members.items():
        wire = member.serialization.get("name", member_name)
        entry = {"sdkName": member_name, "type": member.type_name}
        for key in ("min", "max", "pattern"):
            if key in member.metadata:
                entry[key] = member.metadata[key]
        if getattr(member, "enum", None):
            entry["enum"] = list(member.enum)
        if member.type_name == "structure":
            entry["shape"] = member.name
        elif member.type_name == "list":
            entry["items"] = {"type": member.member.type_name, "shape": member.member.name}
        elif member.type_name == "map":
            entry["values"] = {"type": member.value.type_name, "shape": member.value.name}
        members[wire] = entry
    shapes[name] = {"required": [shape.members[m].serialization.get("name", m) for m in shape.required_members], "members": members}
print(json.dumps({"apiVersion": model.api_version, "botocore": botocore.__version__, "shapes": shapes}, indent=1, sort_keys=True))
`;

export function extractModelConstraints(): string {
  const run = spawnSync('python3', ['-c', EXTRACT, ...MODEL_SHAPES], { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`python3 with botocore is needed: ${run.error?.message ?? run.stderr.trim()}`);
  // The botocore release is not part of what the file says: only the model's content is compared.
  const parsed = JSON.parse(run.stdout) as { botocore: string; apiVersion: string; shapes: unknown };
  return `${JSON.stringify({ apiVersion: parsed.apiVersion, shapes: parsed.shapes }, null, 1)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fresh = extractModelConstraints();
  if (process.argv.includes('--check')) {
    const current = readFileSync(MODEL_CONSTRAINTS, 'utf8');
    if (current !== fresh) {
      console.error(`${MODEL_CONSTRAINTS} differs from the installed MediaConvert model: run npx tsx scripts/mediaconvert-model.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(MODEL_CONSTRAINTS, fresh);
    console.log(`wrote ${MODEL_CONSTRAINTS}`);
  }
}
