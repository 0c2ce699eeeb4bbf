// The count of urgent complaints nobody has acknowledged, shown on the navigation's
// "Complaints" link to intake.queue users, and the count of changes of the intake readers the
// user (a reader) has not seen, shown on the links to the readers page: read at once, then
// every 60 s while the tab is visible, and again when it becomes visible. For cases.manage users,
// also the count of their case deadlines overdue or due within 7 days (the reminders in the app:
// GET /cases/due?mine=true), for a badge on the cases link.

import { informApi } from '../api/cases-inform';
import { api } from '../api/client';
import { can } from './session.svelte';

export const alerts = $state({ unacknowledgedUrgent: 0, readerChanges: 0, caseReminders: 0 });

const POLL_MS = 60_000;

export async function refreshAlerts(): Promise<void> {
  try {
    const answer = await api.intakeAlerts();
    alerts.unacknowledgedUrgent = answer.unacknowledged_urgent;
    alerts.readerChanges = answer.reader_changes ?? 0;
  } catch {
    // A badge is not worth an error message; the next poll tries again.
  }
  if (!can('cases.manage')) return;
  try {
    alerts.caseReminders = (await informApi.myDue()).total;
  } catch {
    // As above.
  }
}

/** Starts polling; returns the function that stops it. */
export function watchAlerts(): () => void {
  void refreshAlerts();
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void refreshAlerts();
  }, POLL_MS);
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void refreshAlerts();
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    alerts.unacknowledgedUrgent = 0;
    alerts.readerChanges = 0;
    alerts.caseReminders = 0;
  };
}
