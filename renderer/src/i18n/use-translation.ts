/**
 * react-i18next's useTranslation with a memoised `t`: an i18next call costs 15-35 µs (option
 * merging, key resolution, interpolation) and the editor makes hundreds per render of a long
 * project, for the same few texts. A text is a pure function of the language (the `t` itself:
 * react-i18next makes a new one when the language changes), the key and its parameters; calls
 * whose options are not plain text, numbers or booleans go to i18next unchanged.
 */
import { useTranslation as useI18nextTranslation } from 'react-i18next';

type Translate = ReturnType<typeof useI18nextTranslation>['t'];

const MAX_TEXTS = 2000;
const memoised = new WeakMap<Translate, Translate>();

export function useTranslation(): ReturnType<typeof useI18nextTranslation> {
  const result = useI18nextTranslation();
  let t = memoised.get(result.t);
  if (!t) {
    t = memoiseTranslate(result.t);
    memoised.set(result.t, t);
  }
  return { ...result, t } as ReturnType<typeof useI18nextTranslation>;
}

/** `t` answering a repeated (key, parameters) from a table; exported for its test. */
export function memoiseTranslate(translate: Translate): Translate {
  const texts = new Map<string, string>();
  const call = translate as unknown as (key: unknown, options?: unknown) => unknown;
  const fast = (key: unknown, options?: unknown): unknown => {
    const id = cacheKey(key, options);
    if (id === null) return call(key, options);
    let text = texts.get(id);
    if (text === undefined) {
      const answer = call(key, options);
      if (typeof answer !== 'string') return answer;
      if (texts.size >= MAX_TEXTS) texts.clear();
      texts.set(id, answer);
      text = answer;
    }
    return text;
  };
  return fast as unknown as Translate;
}

/** The table key of a call, or null when it must go to i18next (an object, array or function among its options). */
function cacheKey(key: unknown, options: unknown): string | null {
  if (typeof key !== 'string') return null;
  if (options === undefined) return JSON.stringify([key]);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return null;
  const parts: unknown[] = [key];
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
    parts.push(name, value);
  }
  // JSON keeps "1" apart from 1 and any text apart from the separators.
  return JSON.stringify(parts);
}
