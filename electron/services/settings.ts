// AppSettings on disk (settings.json): validated on load, written atomically. A corrupt file
// gives the defaults, and a `.bad` copy keeps what was there.
import { copyFile } from 'node:fs/promises';
import { AppSettings, AppSettingsPatch } from '../../shared/api';
import { readTextIfExists, writeJsonAtomic } from './fs-atomic';

export interface SettingsStore {
  get(): Promise<AppSettings>;
  update(patch: AppSettingsPatch): Promise<AppSettings>;
}

export function createSettingsStore(file: string): SettingsStore {
  let cached: AppSettings | undefined;
  // Updates run one after another so two quick patches never lose each other.
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<AppSettings> {
    if (cached) return cached;
    const text = await readTextIfExists(file);
    if (text === undefined) return (cached = AppSettings.parse({}));
    try {
      cached = AppSettings.parse(JSON.parse(text));
    } catch (err) {
      console.warn(`settings: ${file} is unreadable (${(err as Error).message.split('\n')[0]}); using defaults, kept a .bad copy`);
      await copyFile(file, `${file}.bad`).catch(() => undefined);
      cached = AppSettings.parse({});
    }
    return cached;
  }

  return {
    get: () => load().then(clone),
    update(patch) {
      const run = queue.then(async () => {
        const current = await load();
        const checked = AppSettingsPatch.parse(patch);
        // aws is merged field by field: a patch of { aws: { region } } keeps the other fields.
        const merged = AppSettings.parse({
          ...current,
          ...stripUndefined(checked),
          aws: { ...current.aws, ...stripUndefined(checked.aws ?? {}) },
        });
        await writeJsonAtomic(file, merged);
        cached = merged;
        return clone(merged);
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}


function clone<T>(value: T): T {
  return structuredClone(value);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
