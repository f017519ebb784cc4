/** The caption languages the editor offers, named in the app's language (Intl: French UI says "anglais"). */
export const CAPTION_LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'pt', 'pt-BR', 'nl', 'ja', 'zh-Hans', 'ko', 'ar', 'ru'] as const;
export type CaptionLanguage = (typeof CAPTION_LANGUAGES)[number];

/**
 * The offered languages' names in the two UI languages, as Intl.DisplayNames words them (a test
 * compares): the first Intl.DisplayNames loads ICU's names, 15-20 ms of the editor's open, for a
 * list of thirteen. Other codes (a project file may name any) still go through Intl.
 */
export const OFFERED_LANGUAGE_NAMES: Record<'en' | 'fr', Record<CaptionLanguage, string>> = {
  en: { fr: 'French', en: 'English', de: 'German', es: 'Spanish', it: 'Italian', pt: 'Portuguese', 'pt-BR': 'Brazilian Portuguese', nl: 'Dutch', ja: 'Japanese', 'zh-Hans': 'Simplified Chinese', ko: 'Korean', ar: 'Arabic', ru: 'Russian' },
  fr: { fr: 'Français', en: 'Anglais', de: 'Allemand', es: 'Espagnol', it: 'Italien', pt: 'Portugais', 'pt-BR': 'Portugais brésilien', nl: 'Néerlandais', ja: 'Japonais', 'zh-Hans': 'Chinois simplifié', ko: 'Coréen', ar: 'Arabe', ru: 'Russe' },
};

const namers = new Map<string, Intl.DisplayNames>();
const names = new Map<string, string>();

export function languageName(code: string, uiLanguage: string): string {
  const table = Object.hasOwn(OFFERED_LANGUAGE_NAMES, uiLanguage) ? OFFERED_LANGUAGE_NAMES[uiLanguage as 'en' | 'fr'] : undefined;
  if (table && Object.hasOwn(table, code)) return table[code as CaptionLanguage];
  const key = `${uiLanguage}\u0000${code}`;
  let name = names.get(key);
  if (name === undefined) {
    name = intlName(code, uiLanguage);
    names.set(key, name);
  }
  return name;
}

/** The name Intl gives (capitalised), one Intl.DisplayNames per UI language; the code itself when Intl knows neither. */
export function intlName(code: string, uiLanguage: string): string {
  try {
    let namer = namers.get(uiLanguage);
    if (namer === undefined) {
      namer = new Intl.DisplayNames([uiLanguage], { type: 'language' });
      namers.set(uiLanguage, namer);
    }
    const name = namer.of(code);
    return name ? name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1) : code;
  } catch {
    return code;
  }
}
