/**
 * Translations. Keys are the English text (English needs no table); French is below.
 * Language: the user's setting, or 'auto' = the browser / system language.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { fr } from './fr';

export type LocaleSetting = 'auto' | 'en' | 'fr';

export function resolveLocale(setting: LocaleSetting, systemLocale?: string): 'en' | 'fr' {
  if (setting === 'en' || setting === 'fr') return setting;
  const lang = (typeof navigator !== 'undefined' ? navigator.language : systemLocale) || systemLocale || 'en';
  return lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  lng: resolveLocale('auto'),
  fallbackLng: 'en',
  resources: { en: { translation: {} }, fr: { translation: fr } },
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnEmptyString: false,
});

export function applyLocale(setting: LocaleSetting, systemLocale?: string): void {
  const lng = resolveLocale(setting, systemLocale);
  if (i18n.language !== lng) void i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}
