/** The caption languages the editor offers, named in the app's language (Intl: French UI says "anglais"). */
export const CAPTION_LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'pt', 'pt-BR', 'nl', 'ja', 'zh-Hans', 'ko', 'ar', 'ru'] as const;

export function languageName(code: string, uiLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1) : code;
  } catch {
    return code;
  }
}
