// Token buckets of MQC on the virtual clock (times in nanoseconds, buckets in
// bytes): the policers `police cir` colours packets with, and the shaper
// `shape average|peak` delays them with.
//  - two colours (`police cir X bc B`, no be): one bucket of B bytes at CIR;
//    a packet conforms when the bucket holds it, else exceeds;
//  - single-rate three colours (RFC 2697 srTCM, colour-blind): C (CBS) and
//    E (EBS), both filled at CIR, E taking what overflows C;
//  - two-rate three colours (RFC 2698 trTCM, colour-blind): P (PBS) at PIR,
//    C (CBS) at CIR; red when P lacks, yellow when only C lacks.
// IOS's LLQ policer (`priority KBPS BURST`) is the two-colour one.

import type { PoliceSpec, ShapeSpec } from "./mqc-policy.ts";

/** A policer's verdict: conform (green), exceed (yellow), violate (red). */
export type Colour = "conform" | "exceed" | "violate";

const NS_PER_S = 1e9;

/** A policer colouring packets by size as they arrive. */
export interface Meter {
  /** Colours a packet of `bytes` arriving at `nowNs` (and takes its tokens). */
  mark(nowNs: number, bytes: number): Colour;
}

/** One bucket at `rateBps` holding up to `depthBytes`, starting full. */
class Bucket {
  tokens: number;
  private lastNs: number | null = null;

  constructor(
    readonly rateBps: number,
    readonly depthBytes: number,
  ) {
    this.tokens = depthBytes;
  }

  /** Adds what accrued since the last call; returns what would have overflowed. */
  refill(nowNs: number): number {
    if (this.lastNs === null || nowNs <= this.lastNs) {
      this.lastNs = this.lastNs === null ? nowNs : Math.max(this.lastNs, nowNs);
      return 0;
    }
    const added = ((nowNs - this.lastNs) * this.rateBps) / 8 / NS_PER_S;
    this.lastNs = nowNs;
    const room = this.depthBytes - this.tokens;
    if (added <= room) {
      this.tokens += added;
      return 0;
    }
    this.tokens = this.depthBytes;
    return added - room;
  }
}

/** Two colours: one bucket (`police cir X bc B`, and the LLQ policer). */
export class TwoColourMeter implements Meter {
  private readonly bucket: Bucket;
  constructor(cirBps: number, bcBytes: number) {
    this.bucket = new Bucket(cirBps, bcBytes);
  }
  mark(nowNs: number, bytes: number): Colour {
    this.bucket.refill(nowNs);
    if (this.bucket.tokens >= bytes) {
      this.bucket.tokens -= bytes;
      return "conform";
    }
    return "exceed";
  }
}

/** RFC 2697 single-rate three-colour marker, colour-blind. */
export class SingleRateThreeColourMeter implements Meter {
  private readonly committed: Bucket;
  private readonly excess: Bucket;
  constructor(cirBps: number, cbsBytes: number, ebsBytes: number) {
    this.committed = new Bucket(cirBps, cbsBytes);
    // E fills only with C's overflow: its own rate is zero.
    this.excess = new Bucket(0, ebsBytes);
  }
  mark(nowNs: number, bytes: number): Colour {
    const overflow = this.committed.refill(nowNs);
    this.excess.refill(nowNs);
    this.excess.tokens = Math.min(this.excess.depthBytes, this.excess.tokens + overflow);
    if (this.committed.tokens >= bytes) {
      this.committed.tokens -= bytes;
      return "conform";
    }
    if (this.excess.tokens >= bytes) {
      this.excess.tokens -= bytes;
      return "exceed";
    }
    return "violate";
  }
}

/** RFC 2698 two-rate three-colour marker, colour-blind. */
export class TwoRateThreeColourMeter implements Meter {
  private readonly peak: Bucket;
  private readonly committed: Bucket;
  constructor(cirBps: number, cbsBytes: number, pirBps: number, pbsBytes: number) {
    this.committed = new Bucket(cirBps, cbsBytes);
    this.peak = new Bucket(pirBps, pbsBytes);
  }
  mark(nowNs: number, bytes: number): Colour {
    this.peak.refill(nowNs);
    this.committed.refill(nowNs);
    if (this.peak.tokens < bytes) return "violate";
    if (this.committed.tokens < bytes) {
      this.peak.tokens -= bytes;
      return "exceed";
    }
    this.peak.tokens -= bytes;
    this.committed.tokens -= bytes;
    return "conform";
  }
}

/** The meter a `police` line describes: trTCM with a PIR, srTCM with an excess burst, else two colours. */
export function meterFor(spec: PoliceSpec): Meter {
  if (spec.pirBps !== undefined)
    return new TwoRateThreeColourMeter(spec.cirBps, spec.bcBytes, spec.pirBps, spec.beBytes);
  if (spec.beBytes > 0) return new SingleRateThreeColourMeter(spec.cirBps, spec.bcBytes, spec.beBytes);
  return new TwoColourMeter(spec.cirBps, spec.bcBytes);
}

/** IOS's default committed burst of `police cir X`: a quarter second at CIR, at least 1500 bytes. */
export function defaultPoliceBurstBytes(rateBps: number): number {
  return Math.max(1500, Math.floor(rateBps / 32));
}

/** IOS's shaping interval when Bc is not given: 4 ms (so Bc = CIR / 250 bits). */
export const SHAPE_TC_MS = 4;

/** IOS's default Bc (= Be) in bits for `shape average|peak CIR`. */
export function defaultShapeBcBits(cirBps: number): number {
  return Math.max(8, Math.floor((cirBps * SHAPE_TC_MS) / 1000));
}

/** The rate a shaper sends at: CIR for average, CIR × (1 + Be/Bc) for peak. */
export function shapeRateBps(spec: ShapeSpec): number {
  return spec.kind === "average" ? spec.cirBps : Math.floor(spec.cirBps * (1 + spec.beBits / spec.bcBits));
}

/**
 * A shaper: a packet may leave once the credit is not negative; it then takes its bytes (the credit may go
 * below zero, so a packet larger than Bc + Be still leaves). Credit accrues at the shape rate up to (Bc + Be) / 8.
 */
export class Shaper {
  readonly rateBps: number;
  private readonly depthBytes: number;
  private credit: number;
  private lastNs: number | null = null;

  constructor(spec: ShapeSpec) {
    this.rateBps = shapeRateBps(spec);
    this.depthBytes = Math.max(1, (spec.bcBits + spec.beBits) / 8);
    this.credit = this.depthBytes;
  }

  private refill(nowNs: number): void {
    if (this.lastNs !== null && nowNs > this.lastNs)
      this.credit = Math.min(this.depthBytes, this.credit + ((nowNs - this.lastNs) * this.rateBps) / 8 / NS_PER_S);
    if (this.lastNs === null || nowNs > this.lastNs) this.lastNs = nowNs;
  }

  /** The earliest time at or after `nowNs` a packet may leave (nowNs when it may leave now). */
  readyAt(nowNs: number): number {
    this.refill(nowNs);
    if (this.credit >= 0) return nowNs;
    return nowNs + Math.ceil((-this.credit * 8 * NS_PER_S) / this.rateBps);
  }

  /** A packet of `bytes` leaves at `nowNs` (call only when readyAt(nowNs) === nowNs). */
  take(nowNs: number, bytes: number): void {
    this.refill(nowNs);
    this.credit -= bytes;
  }
}
