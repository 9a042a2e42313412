// Human-readable times for callouts: countdowns to the acknowledgement deadline and acknowledgement latency.

/** "1:05" until the deadline, "overdue 0:12" past it. `remainingMs` = deadline − now (server clock). */
export function formatCountdown(remainingMs: number): string {
  const overdue = remainingMs < 0;
  const total = Math.floor(Math.abs(remainingMs) / 1000);
  const text = clock(total);
  return overdue ? `overdue ${text}` : text;
}

function clock(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** "0.4 s", "40 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  // Sub-10-second acknowledgements are common and worth telling apart: one decimal.
  if (safe < 9950) return `${(Math.round(safe / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(safe / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const restMin = minutes % 60;
  return restMin ? `${hours} h ${restMin} min` : `${hours} h`;
}

/** "just now", "5 min ago", "3 h ago", then a date. */
export function formatRelative(then: number, now: number): string {
  const diff = Math.max(0, now - then);
  if (diff < 45_000) return 'just now';
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.round(diff / 3_600_000)} h ago`;
  return new Date(then).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "14:31:05" in local time: incident timelines want seconds. */
export function formatClockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
