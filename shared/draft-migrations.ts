/**
 * Project files of every version this app ever wrote open in the current one. Each migration
 * takes the JSON of version n and returns version n+1; they run in a chain, then the result is
 * parsed with the current (lenient) schema. A file from a newer app is refused, never rewritten.
 *
 * Versions:
 * - 1 (until issue 8): the project reused the render request's strict overlay schema (non-empty
 *   text, request colours); no undo history.
 * - 2: the lenient draft (draft.ts): anything the editor holds, plus optional `history`.
 *   Every version-1 file is a valid version-2 draft once its number changes: the fields are
 *   the same and each rule only got looser.
 */
import { DRAFT_FORMAT, DRAFT_VERSION, parseDraft, type Draft } from './draft';
import type { FieldError } from './validation';

type Json = Record<string, unknown>;

const MIGRATIONS: Record<number, (doc: Json) => Json> = {
  1: (doc) => {
    // v1 overlays could carry numeric ids (the request's `Id`); v2 ids are strings.
    const overlays = Array.isArray(doc.overlays)
      ? doc.overlays.map((o) => (o && typeof o === 'object' && typeof (o as Json).id === 'number' ? { ...(o as Json), id: String((o as Json).id) } : o))
      : doc.overlays;
    return { ...doc, overlays, version: 2 };
  },
};

export type ReadDraftResult =
  | { ok: true; draft: Draft; /** The file's version before migration. */ fromVersion: number }
  | { ok: false; errors: FieldError[]; /** Made by a newer Hospup Studio: update the app. */ newer?: boolean };

/** Parse a project file's JSON of any version, migrating it to the current draft. */
export function readDraft(input: unknown): ReadDraftResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', message: 'is not a project file (expected a JSON object)' }] };
  }
  let doc = input as Json;
  if (doc.format !== DRAFT_FORMAT) {
    return { ok: false, errors: [{ path: 'format', message: `must be "${DRAFT_FORMAT}" (this is not a Hospup Studio project file)` }] };
  }
  const fromVersion = doc.version;
  if (typeof fromVersion !== 'number' || !Number.isInteger(fromVersion) || fromVersion < 1) {
    return { ok: false, errors: [{ path: 'version', message: `must be a whole number from 1 to ${DRAFT_VERSION} (got ${JSON.stringify(fromVersion)})` }] };
  }
  if (fromVersion > DRAFT_VERSION) {
    return {
      ok: false,
      newer: true,
      errors: [{ path: 'version', message: `is ${fromVersion}: this project was saved by a newer Hospup Studio (this one reads up to ${DRAFT_VERSION}); update the app to open it` }],
    };
  }
  for (let v = fromVersion; v < DRAFT_VERSION; v++) doc = MIGRATIONS[v](doc);
  const parsed = parseDraft(doc);
  return parsed.ok ? { ok: true, draft: parsed.draft, fromVersion } : parsed;
}
