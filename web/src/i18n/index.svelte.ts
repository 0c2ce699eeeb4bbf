// t(key) returns the text of the current language; templates that call it re-render when the
// language changes, because the current locale is reactive state. The core catalogs (en.ts,
// fr.ts) come with the first load; a lazily loaded part of the app adds its own texts with
// addMessages() before its views render (see plan.ts).

import { en, type MessageKey } from './en';
import { fr } from './fr';

export type { MessageKey } from './en';
export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

const catalogs: Record<Locale, Record<string, string>> = { en: { ...en }, fr: { ...fr } };

/** Adds the texts of a lazily loaded module (same keys in every language). */
export function addMessages(messages: Record<Locale, Record<string, string>>): void {
  for (const code of LOCALES) Object.assign(catalogs[code], messages[code]);
}
const STORAGE_KEY = 'psea.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'fr') return saved;
  } catch {
    // Storage may be disabled; fall back to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const state = $state({ locale: initialLocale() });
document.documentElement.lang = state.locale;

export function locale(): Locale {
  return state.locale;
}

export function setLocale(next: Locale): void {
  state.locale = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still applied.
  }
}

export type Params = Record<string, string | number>;

/** The message for key in the current language, with {name} placeholders filled in. */
export function t(key: MessageKey, params?: Params): string {
  const text = catalogs[state.locale][key] ?? catalogs.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** For keys built at run time (role names, error codes): the key if known, else null. */
export function knownKey(key: string): MessageKey | null {
  return key in catalogs.en ? (key as MessageKey) : null;
}

/** BCP 47 tag for Intl formatting. */
export function intlLocale(): string {
  return state.locale === 'fr' ? 'fr-FR' : 'en-GB';
}
