// IOS's view of virtual time. An IOS router whose clock was never set starts
// at 00:00:00 UTC Mon Mar 1 1993 and marks unset times with `*`, which is why
// the seeds' logs read `*Mar  1 00:16:42.183`. Lab time zero is that instant.

import type { TimeNs } from "../runtime/device.ts";

const EPOCH_MS = Date.UTC(1993, 2, 1, 0, 0, 0);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The router's clock at a virtual time, in milliseconds since 1970 (certificate validity, key generation dates). */
export function iosClockMs(atNs: TimeNs): number {
  return EPOCH_MS + Math.floor(atNs / 1e6);
}

function parts(atNs: TimeNs) {
  const d = new Date(iosClockMs(atNs));
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return {
    month: MONTHS[d.getUTCMonth()]!,
    day: d.getUTCDate(),
    weekday: DAYS[d.getUTCDay()]!,
    year: d.getUTCFullYear(),
    hms: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    ms: pad(d.getUTCMilliseconds(), 3),
  };
}

/** Log timestamp as `service timestamps log datetime msec` prints it: `*Mar  1 00:16:42.183`. */
export function logTimestamp(atNs: TimeNs): string {
  const p = parts(atNs);
  return `*${p.month} ${String(p.day).padStart(2)} ${p.hms}.${p.ms}`;
}

/** `show clock`: `*00:16:42.183 UTC Mon Mar 1 1993`. */
export function showClock(atNs: TimeNs): string {
  const p = parts(atNs);
  return `*${p.hms}.${p.ms} UTC ${p.weekday} ${p.month} ${p.day} ${p.year}`;
}

/** Uptime as IOS prints it in `show version` and `Last input`: `00:05:12`, `1d02h`, `3w4d`. */
export function uptimeText(durationNs: TimeNs): string {
  const s = Math.floor(durationNs / 1e9);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 86400) return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  const days = Math.floor(s / 86400);
  if (days < 7) return `${days}d${pad(Math.floor((s % 86400) / 3600))}h`;
  return `${Math.floor(days / 7)}w${days % 7}d`;
}
