// The key server's side of time-based anti-replay (TBAR): each group's
// pseudotime, a clock that starts ticking when the group's first member
// registers (not NTP time), stamped on the TEK policy of every registration
// and rekey so that members set their own copy to it (Cisco's GETVPN: the
// pseudotime travels under the SA TEK beside the window).

import type { TimeNs } from "../../runtime/device.ts";
import type { GroupTekPolicy } from "./group-policy.ts";

const MS = 1_000_000;

/** When each group's pseudotime started (the group object stands for the group while it is configured). */
const started = new WeakMap<object, TimeNs>();

/** A group's pseudotime in milliseconds now; the first call starts it at 0. */
export function ksPseudotimeMs(group: object, now: TimeNs): number {
  let at = started.get(group);
  if (at === undefined) {
    at = now;
    started.set(group, at);
  }
  return Math.floor((now - at) / MS);
}

/**
 * Sets a group's pseudotime to `ms` now: a cooperative key server takes the
 * primary's, so that members registered to either server run the same clock.
 */
export function adoptKsPseudotimeMs(group: object, ms: number, now: TimeNs): void {
  started.set(group, now - ms * MS);
}

/** A TEK's replay policy as sent now: a time-based one carries the group's pseudotime. */
export function withKsPseudotime(
  group: object,
  replay: GroupTekPolicy["replay"],
  now: TimeNs,
): GroupTekPolicy["replay"] {
  if (replay?.kind !== "time") return replay;
  return { ...replay, pseudotimeMs: ksPseudotimeMs(group, now) };
}
