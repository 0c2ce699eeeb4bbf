// The Trust Fund page's texts, added to the catalogs when the page is loaded, and `tf`, their
// t() over these keys.

import { ApiError } from '../api/client';
import { errorText } from '../lib/format';
import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { trustFundEn, type TrustFundMessageKey } from './trustfund.en';
import { trustFundFr } from './trustfund.fr';

addMessages({ en: trustFundEn, fr: trustFundFr });

/** t() for the page's own keys (kept out of the core MessageKey union). */
export function tf(key: TrustFundMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { TrustFundMessageKey };

/** The error to show under a form's field, when the answer names that field: a 422 (a date out
 *  of order, a negative count, an unknown currency) says which field to check, as a 400 does. */
export function fieldErrorOf(error: unknown, field: string, labels: Record<string, string>): string | null {
  if (!(error instanceof ApiError) || error.field !== field) return null;
  const label = labels[field];
  if (error.code === 'unprocessable' && label) return t('errors.field_invalid', { field: label });
  return errorText(error, labels);
}
