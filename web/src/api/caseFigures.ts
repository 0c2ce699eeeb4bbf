// Case figures, the UN public-table export and information-sharing extracts (docs/api.md,
// "Case figures").

import { downloadBlob, request } from './client';
import type { CaseExtract, CaseExtractRecord, CaseFigures } from './types';

export interface FiguresQuery {
  from?: string;
  to?: string;
  /** 0 or absent: off; 2..100: counts from 1 to N-1 are shown as "<N". */
  suppress_below?: number;
}

function queryString(query: FiguresQuery & { format?: string }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === 0) continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const caseFiguresApi = {
  figures: (query: FiguresQuery) =>
    request<CaseFigures>('GET', '/cases/figures', {
      query: { from: query.from, to: query.to, suppress_below: query.suppress_below || undefined },
    }),
  /** The allegations in the layout of the UN public table (audited on the server). */
  exportTable: (query: FiguresQuery, format: 'csv' | 'xlsx') =>
    downloadBlob(`/cases/export${queryString({ ...query, format })}`),
  extract: (caseId: number, recipient: string, purpose: string) =>
    request<CaseExtract>('POST', `/cases/${caseId}/extract`, { body: { recipient, purpose } }),
  extracts: (caseId: number) => request<{ extracts: CaseExtractRecord[] }>('GET', `/cases/${caseId}/extracts`),
};
