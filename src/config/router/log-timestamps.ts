// `service timestamps {log | debug} ...`: how a buffered syslog or debug line
// is stamped. IOS's default (and wanlab's) is `datetime msec`; `datetime`
// drops the milliseconds, `uptime` prints time since boot, and `no service
// timestamps` prints the bare message.

import type { TimeNs } from "../../runtime/device.ts";
import { logTimestamp, uptimeText } from "../ios-clock.ts";

/** One `service timestamps` setting. */
export type TimestampStyle = "datetime msec" | "datetime" | "uptime" | "none";

/**
 * How a syslog line shows on the lab console: `R1: <stamp>: %FAC-N-MNEMONIC: ...`
 * with the stamp the device sent (its `service timestamps`), the default one
 * when it sent none (lines the runtime renders), or no stamp for `none`.
 */
export function stampedSyslog(line: { atNs: TimeNs; text: string; stamp?: string | null }): string {
  const stamp = line.stamp === undefined ? logTimestamp(line.atNs) : line.stamp;
  const colon = line.text.indexOf(": ");
  if (stamp === null) return line.text;
  if (colon < 0) return `${stamp}: ${line.text}`;
  return `${line.text.slice(0, colon)}: ${stamp}: ${line.text.slice(colon + 2)}`;
}

/** The stamp of a line logged at `atNs` on a device booted at `bootedAt`, or null for no stamp. */
export function formatTimestamp(style: TimestampStyle, atNs: TimeNs, bootedAt: TimeNs): string | null {
  switch (style) {
    case "datetime msec":
      return logTimestamp(atNs);
    case "datetime":
      return logTimestamp(atNs).replace(/\.\d{3}$/, "");
    case "uptime":
      return uptimeText(Math.max(0, atNs - bootedAt));
    case "none":
      return null;
  }
}
