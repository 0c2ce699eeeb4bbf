// Turning wire values into text for people, in the current language.

import { ApiError } from '../api/client';
import { MIN_PASSWORD_LENGTH } from '../api/types';
import { intlLocale, knownKey, t } from '../i18n/index.svelte';

/** A server time (ISO 8601 UTC) in the reader's time zone, with the zone named. */
export function formatDateTime(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!iso) return t('common.never');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: options.seconds ? '2-digit' : undefined,
    timeZoneName: 'short',
  }).format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return t('common.never');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

export function roleLabel(role: string): string {
  const key = knownKey(`role.${role}`);
  return key ? t(key) : role;
}

/** A TOTP secret in groups of four characters, easier to type by hand. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The text to show for a failed request. `fieldLabels` names the form's fields so that a
 * validation error can point at the right one.
 */
export function errorText(error: unknown, fieldLabels: Record<string, string> = {}): string {
  if (!(error instanceof ApiError)) return t('errors.internal');
  if (error.code === 'rate_limited') {
    if (error.retryAfterSeconds === null) return t('errors.rate_limited');
    const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
    return minutes === 1 ? t('errors.rate_limited_one') : t('errors.rate_limited_minutes', { minutes });
  }
  if (error.code === 'validation_failed' && error.field) {
    if (/password/.test(error.field)) {
      return t('errors.weak_password', { min: MIN_PASSWORD_LENGTH });
    }
    const label = fieldLabels[error.field];
    if (label) return t('errors.field_invalid', { field: label });
  }
  const key = knownKey(`errors.${error.code}`);
  return key ? t(key) : t('errors.internal');
}
