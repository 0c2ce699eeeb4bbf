// The count of urgent complaints nobody has acknowledged, shown on the navigation's
// "Complaints" link to intake.queue users: read at once, then every 60 s while the tab is
// visible, and again when it becomes visible.

import { api } from '../api/client';

export const alerts = $state({ unacknowledgedUrgent: 0 });

const POLL_MS = 60_000;

export async function refreshAlerts(): Promise<void> {
  try {
    alerts.unacknowledgedUrgent = (await api.intakeAlerts()).unacknowledged_urgent;
  } catch {
    // A badge is not worth an error message; the next poll tries again.
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
  };
}
