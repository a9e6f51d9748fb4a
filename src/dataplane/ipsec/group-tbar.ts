// Time-based anti-replay (TBAR) of one GETVPN group on a member. Every member
// of a group sends on the same SPI with its own sequence counter, so the
// sequence-number window of RFC 4303 cannot tell a replay from another
// member's packet. Instead the key server keeps a pseudotime (not NTP: a
// clock that starts with the group's first registration) and hands it out in
// registrations and rekeys; each member runs its copy on, stamps the
// pseudotime on every packet it seals (Cisco metadata inside ESP) and drops
// what arrives stamped further than the window from its own pseudotime, with
// %GDOI-4-TIMEBASED_REPLAY_FAILED. A member's copy runs at its oscillator's
// rate: a drifting member falls out of step with the others until the next
// rekey sets it back to the key server's.

import type { TimeNs } from "../../runtime/device.ts";

const MS = 1_000_000;
/** IOS's "TBAR Error History (sampled at 10pak/min)": errors kept for the show. */
export const TBAR_HISTORY_LENGTH = 10;

/** One dropped packet as `show crypto gdoi gm replay` lists it. */
export interface TbarError {
  at: TimeNs;
  src: number;
  myPseudotimeMs: number;
  peerPseudotimeMs: number;
}

/** What a received stamp means. */
export type TbarVerdict = { ok: true } | { ok: false; myPseudotimeMs: number; deltaMs: number };

/** A group's pseudotime on one member, and what its checks counted. */
export class TbarClock {
  /** Pseudotime (ms) when last set from the key server, and the local time it was set. */
  private baseMs = 0;
  private setAt: TimeNs | null = null;
  /**
   * How fast this member's pseudotime runs against real (virtual) time: 1
   * for a true oscillator; a lab sets another rate to model a drifting one.
   */
  rate = 1;
  /** Packets stamped on the way out and checked on the way in. */
  outputPackets = 0;
  inputPackets = 0;
  /** Received packets dropped: outside the window (time sync) or without a stamp. */
  inputErrors = 0;
  /** Packets not sent: the SA is time-based but the key server has handed out no pseudotime. */
  outputErrors = 0;
  timeSyncErrors = 0;
  /** Largest distance between a dropped packet's stamp and our pseudotime. */
  maxDeltaMs = 0;
  /** The last few errors, newest last. */
  readonly history: TbarError[] = [];

  /** Whether the key server has handed out a pseudotime yet. */
  get synced(): boolean {
    return this.setAt !== null;
  }

  /** Sets the pseudotime to the key server's (registration, rekey). */
  sync(pseudotimeMs: number, now: TimeNs): void {
    this.baseMs = pseudotimeMs;
    this.setAt = now;
  }

  /** This member's pseudotime now, in milliseconds. */
  pseudotimeMs(now: TimeNs): number {
    if (this.setAt === null) return 0;
    return Math.max(0, Math.floor(this.baseMs + ((now - this.setAt) / MS) * this.rate));
  }

  /** The stamp for a packet sealed now. */
  stamp(now: TimeNs): number {
    this.outputPackets++;
    return this.pseudotimeMs(now);
  }

  /** Checks a received stamp against the window (seconds) and counts it. */
  check(peerPseudotimeMs: number, windowSec: number, src: number, now: TimeNs): TbarVerdict {
    this.inputPackets++;
    const mine = this.pseudotimeMs(now);
    const delta = Math.abs(peerPseudotimeMs - mine);
    if (delta <= windowSec * 1000) return { ok: true };
    this.inputErrors++;
    this.timeSyncErrors++;
    this.maxDeltaMs = Math.max(this.maxDeltaMs, delta);
    this.history.push({ at: now, src, myPseudotimeMs: mine, peerPseudotimeMs });
    if (this.history.length > TBAR_HISTORY_LENGTH) this.history.shift();
    return { ok: false, myPseudotimeMs: mine, deltaMs: delta };
  }

  /** A packet on a TBAR SA that carried no stamp. */
  missingStamp(): void {
    this.inputPackets++;
    this.inputErrors++;
  }
}

/** Pseudotime as IOS prints it: seconds with two decimals. */
export function formatPseudotime(ms: number): string {
  return (ms / 1000).toFixed(2);
}
