// The "5 minute input/output rate" of an interface and its txload/rxload, as
// IOS computes them: every 5 seconds the traffic of the last 5 seconds is
// folded into an exponentially weighted average with a 300-second time
// constant (the default load-interval). Sampling is lazy and exact: the
// periods are on a fixed 5 s grid of virtual time, and they are closed when
// the next packet or a show comes after them, so no timer runs for this.

import type { TimeNs } from "../../runtime/device.ts";

/** IOS samples interface counters every 5 s. */
export const LOAD_SAMPLE_NS = 5_000_000_000;
/** The default `load-interval`: 300 s. */
export const LOAD_INTERVAL_SEC = 300;

/** One direction's rate of one interface (or of one class of a policy-map). */
export class RateEstimator {
  private periodStart: TimeNs = 0;
  private periodBits = 0;
  private periodPackets = 0;
  private bps = 0;
  private pps = 0;
  private decay: number;

  /** `loadIntervalSec`: the time constant (`load-interval`, 30-600 s). */
  constructor(loadIntervalSec = LOAD_INTERVAL_SEC) {
    this.decay = Math.exp(-(LOAD_SAMPLE_NS / 1e9) / loadIntervalSec);
  }

  /** `load-interval`: a new time constant; the average so far stays. */
  setLoadInterval(seconds: number): void {
    this.decay = Math.exp(-(LOAD_SAMPLE_NS / 1e9) / seconds);
  }

  /** Counts a frame of `bytes` at `now`. */
  add(now: TimeNs, bytes: number): void {
    if (now >= this.periodStart + LOAD_SAMPLE_NS) this.roll(now);
    this.periodBits += bytes * 8;
    this.periodPackets++;
  }

  /** The average at `now`: bits and packets per second. */
  read(now: TimeNs): { bitsPerSec: number; packetsPerSec: number } {
    this.roll(now);
    return { bitsPerSec: Math.round(this.bps), packetsPerSec: Math.round(this.pps) };
  }

  /** Closes every whole 5 s period before `now`: the first carries the counts, the rest were idle. */
  private roll(now: TimeNs): void {
    const periods = Math.floor((now - this.periodStart) / LOAD_SAMPLE_NS);
    if (periods <= 0) return;
    const seconds = LOAD_SAMPLE_NS / 1e9;
    const decay = this.decay;
    this.bps = this.bps * decay + (this.periodBits / seconds) * (1 - decay);
    this.pps = this.pps * decay + (this.periodPackets / seconds) * (1 - decay);
    if (periods > 1) {
      const idle = decay ** (periods - 1);
      this.bps *= idle;
      this.pps *= idle;
    }
    this.periodStart += periods * LOAD_SAMPLE_NS;
    this.periodBits = 0;
    this.periodPackets = 0;
  }
}

/** txload/rxload: the rate as a fraction of the bandwidth, in 255ths (IOS shows at least 1). */
export function load255(bitsPerSec: number, bandwidthKbps: number): number {
  if (bandwidthKbps <= 0) return 1;
  return Math.min(255, Math.max(1, Math.round((255 * bitsPerSec) / (bandwidthKbps * 1000))));
}
