/**
 * Local times as operators read them in logs: 24-hour, zero-padded, the date first when there is
 * one. Written out by hand: the first toLocaleTimeString() of a page loads the browser's ICU date
 * data, a few tens of milliseconds spent while the graph waits to be drawn.
 */
export function clockTime(at: Date | number | string): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `2026-11-28 05:17:16`, in local time. */
export function localDateTime(at: Date | number | string): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(d)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
