/**
 * The undo history as stored in a draft file, compactly. In memory every undo step is a whole
 * document, but consecutive steps share almost all their segments and overlays (edits are
 * immutable updates: an unchanged segment is the same object in every step). Written out
 * naively, 50 steps of a 1,000-segment project are 50 copies of it (megabytes on every
 * autosave); here each distinct record is stored once and a step lists the records it holds as
 * runs of consecutive indices (a trim or a move changes a run or two).
 *
 * Pure: `encodeHistory` keys records by object identity (what the store shares), so it is
 * linear in the steps' sizes; `decodeHistory` restores steps that share their records again.
 */
import { z } from 'zod';
import type { DraftDoc, DraftLogo, DraftOverlay, DraftSegment, DraftSettings } from './draft';
import type { Aspect } from './output-settings';

/** `[start, length, start, length, ...]` over a record table. */
const Runs = z.array(z.number().int().nonnegative());

/** One step: its records by index; the logo (a small object, or null) written as it is. */
function stepSchema<L extends z.ZodType, F extends z.ZodType, G extends z.ZodType>(logo: L, formats: F, languages: G) {
  return z.object({
    name: z.string(),
    settings: z.number().int().nonnegative(),
    segments: Runs,
    overlays: Runs,
    logo: logo.nullable().optional(),
    formats: formats.optional(),
    languages: languages.optional(),
  });
}

interface Step {
  name: string;
  settings: number;
  segments: number[];
  overlays: number[];
  logo?: DraftLogo | null;
  formats?: Aspect[];
  languages?: string[];
}

/** Builds the stored form's schema from the record schemas (draft.ts passes its own, avoiding an import loop). */
export function compactHistorySchema<S extends z.ZodType, O extends z.ZodType, T extends z.ZodType, L extends z.ZodType, F extends z.ZodType, G extends z.ZodType>(
  records: { segment: S; overlay: O; settings: T; logo: L; formats: F; languages: G },
  limit: number,
) {
  const Step = stepSchema(records.logo, records.formats, records.languages);
  return z.object({
    encoding: z.literal('shared-records'),
    settings: z.array(records.settings),
    segments: z.array(records.segment),
    overlays: z.array(records.overlay),
    past: z.array(Step).max(limit),
    future: z.array(Step).max(limit),
  });
}

export interface CompactHistory {
  encoding: 'shared-records';
  settings: DraftSettings[];
  segments: DraftSegment[];
  overlays: DraftOverlay[];
  past: Step[];
  future: Step[];
}

class RecordTable<T extends object> {
  readonly records: T[] = [];
  private readonly index = new Map<T, number>();
  indexOf(record: T): number {
    let i = this.index.get(record);
    if (i === undefined) {
      i = this.records.push(record) - 1;
      this.index.set(record, i);
    }
    return i;
  }
  runs(list: readonly T[]): number[] {
    const out: number[] = [];
    for (const record of list) {
      const i = this.indexOf(record);
      const last = out.length - 2;
      if (last >= 0 && out[last] + out[last + 1] === i) out[last + 1]++;
      else out.push(i, 1);
    }
    return out;
  }
}

export function encodeHistory(past: readonly DraftDoc[], future: readonly DraftDoc[]): CompactHistory {
  const settings = new RecordTable<DraftSettings>();
  const segments = new RecordTable<DraftSegment>();
  const overlays = new RecordTable<DraftOverlay>();
  const step = (doc: DraftDoc): Step => ({
    name: doc.name,
    settings: settings.indexOf(doc.settings),
    segments: segments.runs(doc.segments),
    overlays: overlays.runs(doc.overlays),
    ...(doc.logo !== undefined && { logo: doc.logo }),
    // Small lists, written as they are (a step without them is a one-video project).
    ...(doc.formats !== undefined && { formats: doc.formats }),
    ...(doc.languages !== undefined && { languages: doc.languages }),
  });
  const encoded = { past: past.map(step), future: future.map(step) };
  return { encoding: 'shared-records', settings: settings.records, segments: segments.records, overlays: overlays.records, ...encoded };
}

/** The steps back as documents; undefined when an index points outside its table (a damaged file: no history rather than a wrong one). */
export function decodeHistory(history: CompactHistory): { past: DraftDoc[]; future: DraftDoc[] } | undefined {
  const expand = <T>(table: readonly T[], runs: readonly number[]): T[] | undefined => {
    const out: T[] = [];
    for (let k = 0; k + 1 < runs.length; k += 2) {
      const [start, length] = [runs[k], runs[k + 1]];
      if (start + length > table.length) return undefined;
      for (let i = start; i < start + length; i++) out.push(table[i]);
    }
    return out;
  };
  const doc = (step: CompactHistory['past'][number]): DraftDoc | undefined => {
    const settings = history.settings[step.settings];
    const segments = expand(history.segments, step.segments);
    const overlays = expand(history.overlays, step.overlays);
    if (!settings || !segments || !overlays) return undefined;
    return {
      name: step.name, settings, segments, overlays,
      ...(step.logo !== undefined && { logo: step.logo }),
      ...(step.formats !== undefined && { formats: step.formats }),
      ...(step.languages !== undefined && { languages: step.languages }),
    };
  };
  const past = history.past.map(doc);
  const future = history.future.map(doc);
  if (past.includes(undefined) || future.includes(undefined)) return undefined;
  return { past: past as DraftDoc[], future: future as DraftDoc[] };
}
