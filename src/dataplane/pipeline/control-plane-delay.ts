// The control plane's processing delay for packets a device answers itself
// (ICMP echo replies, time exceeded, unreachables, redirects): a real router
// hands them to its CPU, which answers after a small, varying time, so pings
// and traceroutes show min/avg/max and probe times that differ. Each answer
// waits a draw from a seeded source (derived from the device's own) in the
// device's range, on a virtual-clock timer; answers leave in the order their
// questions came (one CPU queue: never before the answer queued before them).

import type { TimeNs } from "../../runtime/device.ts";
import { SeededRandom } from "../../runtime/random.ts";

/** A router's range: IOS answers ICMP at process level, 0.1 to 1 ms here. */
export const ROUTER_ANSWER_DELAY_NS: readonly [TimeNs, TimeNs] = [100_000, 1_000_000];
/** An end host's kernel answers in tens of microseconds. */
export const HOST_ANSWER_DELAY_NS: readonly [TimeNs, TimeNs] = [20_000, 200_000];

/** One device's control-plane answer queue. */
export class ControlPlaneDelay {
  /** Smallest and largest delay of one answer (ns). */
  range: readonly [TimeNs, TimeNs] = ROUTER_ANSWER_DELAY_NS;
  private readonly random: SeededRandom;
  /** When the answer queued last leaves. */
  private lastAt: TimeNs = 0;

  constructor(
    seed: number,
    private readonly now: () => TimeNs,
    private readonly after: (delayNs: TimeNs, name: string, fn: () => void) => void,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** Runs `answer` once the control plane has processed it (after the answers queued before it). */
  answer(answer: () => void): void {
    const [lo, hi] = this.range;
    const now = this.now();
    const at = Math.max(this.lastAt, now + lo + Math.round(this.random.next() * (hi - lo)));
    this.lastAt = at;
    this.after(at - now, "cp-answer", answer);
  }
}
