// IOS's exponential backoff for OSPF work that a burst of changes would
// otherwise repeat: the SPF calculation (`timers throttle spf START HOLD MAX`,
// IOS 15's defaults 5000 10000 10000 ms) and the origination of this router's
// LSAs (`timers throttle lsa START HOLD MAX`, defaults 0 5000 5000 ms, which
// is RFC 2328's MinLSInterval of 5 s). After a quiet spell the work runs START
// after the first change; a change within the hold of the last run waits until
// that hold has passed (and at least START), and each such wait doubles the
// hold up to MAX; twice MAX without a run brings the hold back to HOLD.
// Times are on the device's virtual clock (nanoseconds).

import type { TimeNs } from "../../runtime/device.ts";

/** The three values of a `timers throttle` line, in milliseconds. */
export interface ThrottleTimers {
  startMs: number;
  holdMs: number;
  maxMs: number;
}

export const SPF_THROTTLE_DEFAULT: Readonly<ThrottleTimers> = { startMs: 5000, holdMs: 10000, maxMs: 10000 };
export const LSA_THROTTLE_DEFAULT: Readonly<ThrottleTimers> = { startMs: 0, holdMs: 5000, maxMs: 5000 };

const MS = 1_000_000;

/** The backoff state of one kind of work. */
export class Throttle {
  private lastRunAt: TimeNs | undefined;
  /** The current hold, between HOLD and MAX (HOLD until a change falls within one). */
  private holdNs: number | undefined;

  /** `timers` is read at each use (a process's configuration may not exist yet when the throttle is built). */
  constructor(private readonly timers: () => ThrottleTimers) {}

  /** When work asked for now should run: the delay from now, with the hold advanced as IOS does. */
  delay(now: TimeNs): TimeNs {
    const t = this.timers();
    const start = t.startMs * MS;
    const hold = t.holdMs * MS;
    const max = Math.max(t.maxMs, t.holdMs) * MS;
    if (this.lastRunAt === undefined || now - this.lastRunAt > 2 * max) {
      this.holdNs = hold;
      return start;
    }
    const current = Math.min(Math.max(this.holdNs ?? hold, hold), max);
    this.holdNs = Math.min(current * 2, max);
    return Math.max(start, this.lastRunAt + current - now);
  }

  /** The work ran now. */
  ran(now: TimeNs): void {
    this.lastRunAt = now;
  }

  /** Forgets the history (`clear ip ospf process`). */
  reset(): void {
    this.lastRunAt = undefined;
    this.holdNs = undefined;
  }

  /** The hold the next change within it would wait out (for show commands and tests). */
  get currentHoldMs(): number {
    return (this.holdNs ?? this.timers().holdMs * MS) / MS;
  }
}
