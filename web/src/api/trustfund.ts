// The calls of the Trust Fund page (views/trustfund/), with their wire types (docs/openapi.json:
// TrustFundProject, TrustFundTransfer, TrustFundFigures). Loaded with that page only. Money is
// integer minor units on the wire: these helpers convert to and from the text a person types,
// without floating point.

import { downloadBlob, request } from './client';

export const PROJECT_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const BENEFICIARY_GROUPS = ['women', 'girls', 'men', 'boys', 'children_born_of_sea'] as const;
export type BeneficiaryGroup = (typeof BENEFICIARY_GROUPS)[number];

export interface BeneficiaryCounts {
  women: number;
  girls: number;
  men: number;
  boys: number;
  children_born_of_sea: number;
  total: number;
}

export interface BeneficiaryPeriod extends BeneficiaryCounts {
  id: number;
  period_start: string;
  period_end: string;
  note: string;
  recorded_at: string;
  recorded_by: string;
}

export interface TrustFundProject {
  id: number;
  title: string;
  partner: string;
  provider_id: number | null;
  amount_minor: number;
  currency: string;
  minor_digits: number;
  start_day: string;
  end_day: string;
  prefectures: string[];
  services: string[];
  status: ProjectStatus;
  notes: string;
  beneficiaries: BeneficiaryPeriod[];
  beneficiaries_total: BeneficiaryCounts;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface TrustFundTransfer {
  id: number;
  transfer_day: string;
  amount_minor: number;
  currency: string;
  minor_digits: number;
  contributor: string;
  /** Only when the caller may see the case. */
  case_id: number | null;
  case_reference: string | null;
  reference: string;
  notes: string;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface MoneySum {
  year: number;
  currency: string;
  amount_minor: number;
  minor_digits: number;
  count: number;
}

export interface TrustFundFigures {
  projects: number;
  active_projects: number;
  funded: MoneySum[];
  transferred: MoneySum[];
  beneficiaries_by_year: (BeneficiaryCounts & { year: number })[];
  beneficiaries_total: BeneficiaryCounts;
}

export interface ProjectInput {
  title?: string;
  partner?: string;
  provider_id?: number | null;
  amount_minor?: number;
  currency?: string;
  start_day?: string;
  end_day?: string;
  prefectures?: string[];
  services?: string[];
  status?: ProjectStatus;
  notes?: string;
}

export interface TransferInput {
  transfer_day?: string;
  amount_minor?: number;
  currency?: string;
  contributor?: string;
  case_id?: number | null;
  reference?: string;
  notes?: string;
}

export type BeneficiaryInput = Omit<BeneficiaryCounts, 'total'> & { period_start: string; period_end: string; note?: string };

// ISO 4217 minor digits that are not 2 (the server keeps the full list of codes).
const MINOR_DIGITS: Record<string, number> = {
  BHD: 3, BIF: 0, CLF: 4, CLP: 0, DJF: 0, GNF: 0, IQD: 3, ISK: 0, JOD: 3, JPY: 0, KMF: 0, KRW: 0, KWD: 3,
  LYD: 3, OMR: 3, PYG: 0, RWF: 0, TND: 3, UGX: 0, UYI: 0, UYW: 4, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/** "1 234,50" or "1234.5" in USD to 123450; null when it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[3] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[2] + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return null;
  return match[1] ? -minor : minor;
}

/** 123450 with 2 digits to "1234.50" (the inverse of parseAmount). */
export function amountText(minor: number, digits: number): string {
  const negative = minor < 0;
  let text = String(Math.abs(minor));
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  }
  return negative ? `-${text}` : text;
}

/** For display: grouped thousands in the reader's language, and the currency code. */
export function formatMoney(minor: number, digits: number, currency: string, lang: string): string {
  const text = amountText(minor, digits);
  const [whole, fraction] = text.split('.');
  const grouped = Number(whole).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');
  const decimal = lang === 'fr' ? ',' : '.';
  return `${grouped}${fraction !== undefined ? decimal + fraction : ''} ${currency}`;
}

export const trustFundApi = {
  projects: () => request<{ projects: TrustFundProject[] }>('GET', '/trust-fund/projects'),
  createProject: (input: ProjectInput) => request<{ project: TrustFundProject }>('POST', '/trust-fund/projects', { body: input }),
  updateProject: (id: number, version: number, input: ProjectInput) =>
    request<{ project: TrustFundProject }>('PATCH', `/trust-fund/projects/${id}`, { body: { ...input, version } }),
  putBeneficiaries: (id: number, version: number, input: BeneficiaryInput) =>
    request<{ project: TrustFundProject }>('POST', `/trust-fund/projects/${id}/beneficiaries`, { body: { ...input, version } }),
  deleteBeneficiaries: (id: number, entryId: number) =>
    request<{ project: TrustFundProject }>('DELETE', `/trust-fund/projects/${id}/beneficiaries/${entryId}`),
  transfers: () => request<{ transfers: TrustFundTransfer[]; totals: MoneySum[] }>('GET', '/trust-fund/transfers'),
  createTransfer: (input: TransferInput) => request<{ transfer: TrustFundTransfer }>('POST', '/trust-fund/transfers', { body: input }),
  updateTransfer: (id: number, version: number, input: TransferInput) =>
    request<{ transfer: TrustFundTransfer }>('PATCH', `/trust-fund/transfers/${id}`, { body: { ...input, version } }),
  figures: () => request<{ figures: TrustFundFigures }>('GET', '/trust-fund/figures'),
  /** Audited on the server. */
  exportFile: (what: 'projects' | 'transfers', format: 'csv' | 'xlsx') =>
    downloadBlob(`/trust-fund/export?what=${what}&format=${format}`),
};
