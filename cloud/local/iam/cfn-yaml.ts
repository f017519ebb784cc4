// Reads cloud/template.yaml into plain objects, turning CloudFormation's short
// tags (!Ref, !Sub, !GetAtt, ...) into their long JSON form ({"Fn::Sub": ...}).
// Used by the local cloud (its IAM policies), the deploy script and the template tests.
import { readFileSync, writeFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { sha256Hex } from '../sigv4';

type YamlKind = 'scalar' | 'sequence' | 'mapping';
type YamlType = InstanceType<typeof jsyaml.Type>;

const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'Not', 'Or', 'Condition', 'Length', 'ToJsonString'];

function cfnTypes(): YamlType[] {
  const types: YamlType[] = [];
  const kinds: YamlKind[] = ['scalar', 'sequence', 'mapping'];
  for (const kind of kinds) {
    types.push(new jsyaml.Type('!Ref', { kind, construct: (d) => ({ Ref: d }) }));
    types.push(new jsyaml.Type('!GetAtt', {
      kind,
      // "!GetAtt Res.Attr" is the short form of ["Res", "Attr"].
      construct: (d) => ({ 'Fn::GetAtt': typeof d === 'string' ? splitOnce(d) : d }),
    }));
    for (const fn of FUNCTIONS) {
      const name = fn === 'Condition' ? 'Condition' : `Fn::${fn}`;
      types.push(new jsyaml.Type(`!${fn}`, { kind, construct: (d) => ({ [name]: d }) }));
    }
  }
  return types;
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('.');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

export type CfnTemplate = {
  Parameters?: Record<string, { Type: string; Default?: unknown; AllowedPattern?: string; MinValue?: number }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
  [k: string]: unknown;
};

export function parseCfnYaml(text: string, filename = 'template.yaml'): CfnTemplate {
  const schema = jsyaml.DEFAULT_SCHEMA.extend(cfnTypes());
  const doc = jsyaml.load(text, { schema, filename });
  if (!doc || typeof doc !== 'object' || !('Resources' in doc)) {
    throw new Error(`${filename}: not a CloudFormation template (no Resources)`);
  }
  return doc as CfnTemplate;
}

/**
 * The template at `path`, from `<path>.json` when a build wrote one for exactly this text
 * (parsing the YAML costs ~30 ms of every local cloud's start), else parsed here.
 */
export function loadCfnTemplate(path: string): CfnTemplate {
  const text = readFileSync(path, 'utf8');
  try {
    const parsed = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as ParsedTemplateFile;
    if (parsed.sourceSha256 === sha256Hex(text)) return parsed.template;
  } catch {
    // none beside it (sources), or unreadable: parse the YAML
  }
  return parseCfnYaml(text, path);
}

/** What `writeParsedTemplate` stores beside a copied template. */
interface ParsedTemplateFile {
  sourceSha256: string;
  template: CfnTemplate;
}

/** Writes `<path>.json` for the template at `path` (the bundlers, beside the copy they ship). */
export function writeParsedTemplate(path: string): void {
  const text = readFileSync(path, 'utf8');
  const file: ParsedTemplateFile = { sourceSha256: sha256Hex(text), template: parseCfnYaml(text, path) };
  writeFileSync(`${path}.json`, JSON.stringify(file));
}
