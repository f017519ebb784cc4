/** The caption languages the editor offers, named in the app's language (Intl: French UI says "anglais"). */
export const CAPTION_LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'pt', 'pt-BR', 'nl', 'ja', 'zh-Hans', 'ko', 'ar', 'ru'] as const;

// Building an Intl.DisplayNames costs about a millisecond and the inspector names 13 languages on
// every render: the names are kept per UI language and code.
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
    const name = new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1) : code;
  } catch {
    return code;
  }
}
