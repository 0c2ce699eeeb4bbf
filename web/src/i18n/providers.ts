// The Services page's texts, added to the catalogs when the page is loaded, and `tp`, their
// t() over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { providersEn, type ProvidersMessageKey } from './providers.en';
import { providersFr } from './providers.fr';

addMessages({ en: providersEn, fr: providersFr });

/** t() for the page's own keys (kept out of the core MessageKey union). */
export function tp(key: ProvidersMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { ProvidersMessageKey };
