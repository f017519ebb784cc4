/** The caption languages the editor offers, named in the app's language (Intl: French UI says "anglais"). */
export const CAPTION_LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'pt', 'pt-BR', 'nl', 'ja', 'zh-Hans', 'ko', 'ar', 'ru'] as const;

// Building an Intl.DisplayNames costs a millisecond or two and the project panel names 13
// languages: one per UI language is built, and each name is kept.
const namers = new Map<string, Intl.DisplayNames>();
const names = new Map<string, string>();

export function languageName(code: string, uiLanguage: string): string {
  const key = `${uiLanguage}\u0000${code}`;
  let name = names.get(key);
  if (name === undefined) {
    name = displayName(code, uiLanguage);
    names.set(key, name);
  }
  return name;
}

function displayName(code: string, uiLanguage: string): string {
  try {
    let namer = namers.get(uiLanguage);
    if (namer === undefined) {
      namer = new Intl.DisplayNames([uiLanguage], { type: 'language' });
      namers.set(uiLanguage, namer);
    }
    const name = namer.of(code);
    return name ? name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1) : code;
  } catch {
    // A UI language Intl does not know, or a code it refuses: the code itself.
    return code;
  }
}
