/**
 * Hostile inputs for the fuzz tests: odd strings and numbers, and valid requests with a few
 * fields replaced, removed or blown up (a fuzzer that only sends random values never gets past
 * the first check). Seed and run count come from the environment: `npm test` runs a fixed seed
 * briefly, `npm run fuzz` runs many more with a fresh seed (printed, to replay a finding).
 */
import fc from 'fast-check';
import { GUIDE_CURL_REQUEST } from '../fixtures/guide-requests';

export const FUZZ = {
  seed: process.env.HOSPUP_FUZZ_SEED ? Number(process.env.HOSPUP_FUZZ_SEED) : 20260901,
  numRuns: Number(process.env.HOSPUP_FUZZ_RUNS ?? 200),
};
if (process.env.HOSPUP_FUZZ_SEED) console.error(`fuzz seed ${FUZZ.seed}, ${FUZZ.numRuns} runs (replay: HOSPUP_FUZZ_SEED=${FUZZ.seed})`);

export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '__proto__', 'constructor', 'toString', '../../etc/passwd', 's3://', 's3://hospup-videos/', 's3://other/x.mp4', 'file:///etc/passwd', '#EXTM3U', '\u202e', '\ud800', '💥'.repeat(3)),
  fc.integer({ min: 1, max: 6 }).map((k) => 'x'.repeat(10 ** k)),
);

export const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1e-320, 2 ** 53, 59.999999, 60, 240.0001),
  fc.integer({ min: -10, max: 10_000 }),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const KEYS = ['property_id', 'template_id', 'segments', 'text_overlays', 'total_duration', 'output', 'client_token', 'video_url', 'start_time', 'end_time', 'duration', 'order', 'source', 'fps', 'has_audio', 'content', 'position', 'x', 'y', 'style', 'color', 'font_size', 'font_family', 'background', 'align', 'aspect', 'width', 'height', 'id', 'action', 'body'];

type Edit = { target: number; extraKey?: string; kind: 'set' | 'delete' | 'repeat'; value: unknown; times: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  // Which existing field (or list item) of the document to change, counted in document order.
  target: fc.nat(),
  // Sometimes a new (unknown or misplaced) field beside it instead.
  extraKey: fc.option(fc.oneof(fc.constantFrom(...KEYS), hostileString), { nil: undefined, freq: 4 }),
  kind: fc.constantFrom('set', 'set', 'delete', 'repeat'),
  value: hostileValue,
  times: fc.integer({ min: 2, max: 400 }),
});

/** Every [container, key] of a JSON-like document, parents before children. */
function slots(root: unknown): Array<[Record<string | number, unknown>, string | number]> {
  const out: Array<[Record<string | number, unknown>, string | number]> = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      const k = Array.isArray(node) ? Number(key) : key;
      out.push([node as Record<string | number, unknown>, k]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(root);
  return out;
}

function applyEdit(root: unknown, { target, extraKey, kind, value, times }: Edit): unknown {
  const all = slots(root);
  if (all.length === 0) return root;
  const [node, key] = all[target % all.length];
  // A copy: constantFrom hands out the same [] and {} to every run, which edits must not change.
  if (extraKey !== undefined && !Array.isArray(node)) node[extraKey] = structuredClone(value);
  else if (kind === 'delete') delete node[key];
  else if (kind === 'repeat' && Array.isArray(node[key])) {
    const list = node[key] as unknown[];
    node[key] = list.length ? Array.from({ length: times }, (_, i) => structuredClone(list[i % list.length])) : list;
  } else node[key] = structuredClone(value);
  return root;
}

/** The guide's request, and one with the clip's facts given (so `plan` builds the whole job without probing). */
const BASES: unknown[] = [
  GUIDE_CURL_REQUEST,
  { ...GUIDE_CURL_REQUEST, segments: GUIDE_CURL_REQUEST.segments.map((s) => ({ ...s, source: { fps: 30, has_audio: true, duration: 12 } })) },
];

/** A base request with 0-5 random edits: mostly invalid, sometimes still valid. */
export const mutatedRequest: fc.Arbitrary<unknown> = fc
  .tuple(fc.nat(BASES.length - 1), fc.array(edit, { maxLength: 5 }))
  .map(([base, edits]) => edits.reduce(applyEdit, structuredClone(BASES[base])));

/** Any request-shaped input: a mutated request, arbitrary JSON, or JSON text (possibly cut short). */
export const requestInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: mutatedRequest },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: mutatedRequest.chain((r) => fc.nat(200).map((cut) => JSON.stringify(r).slice(0, cut))) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }) },
);

/** A message a person reads: no stack frames, no JavaScript artefacts. */
export function plainWords(message: string): boolean {
  // "undefined" or NaN quoted from the input ("\"undefined\" is not valid JSON") are words about the input.
  return !/\n\s+at |\[object |(?<!")\bundefined\b(?!")|(?<!")\bNaN\b(?!")|TypeError|ReferenceError|SyntaxError: Unexpected token/.test(message);
}
