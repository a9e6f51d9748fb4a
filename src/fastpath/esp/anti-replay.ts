// Anti-replay window of an inbound ESP or AH SA (RFC 4303 §3.4.3 and
// Appendix A, RFC 4302 §3.4.3), 32-bit sequence numbers (no ESN). The window
// covers the `size` sequence numbers ending at the highest one accepted so far
// (`top`). Bits live in a ring indexed by sequence number modulo the ring size
// (Appendix A2.3), so sliding right clears only the bits that enter the window
// instead of shifting the whole bitmap. `check` answers before the ICV is
// verified and changes nothing; `update` runs after it verified and re-checks,
// so two copies of one packet in the same batch cannot both be accepted.

/** Largest window IOS offers (`set security-association replay window-size 1024`). */
export const MAX_REPLAY_WINDOW = 1024;

/** Window size IOS uses unless configured otherwise. */
export const DEFAULT_REPLAY_WINDOW = 64;

/** Sliding anti-replay window over sequence numbers 1..2^32-1 (0 is never valid). */
export class ReplayWindow {
  /** Highest sequence number accepted so far (0 before the first). */
  private topSeq = 0;
  private readonly bits: Uint32Array;
  private readonly ringBits: number;

  /** size: 1..1024 packets (default 64); throws RangeError for other sizes, a configuration error. */
  constructor(readonly size: number = DEFAULT_REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_REPLAY_WINDOW) {
      throw new RangeError(`replay window ${size} outside 1..${MAX_REPLAY_WINDOW}`);
    }
    this.ringBits = Math.ceil(size / 32) * 32;
    this.bits = new Uint32Array(this.ringBits / 32);
  }

  /** Highest sequence number accepted so far (the right edge of the window). */
  get top(): number {
    return this.topSeq;
  }

  /** True when seq would be accepted now: not 0, not left of the window, not seen. Changes nothing. */
  check(seq: number): boolean {
    if (!Number.isInteger(seq) || seq < 1 || seq > 0xffffffff) return false;
    if (seq > this.topSeq) return true;
    if (this.topSeq - seq >= this.size) return false;
    const bit = seq % this.ringBits;
    return (this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0;
  }

  /** Marks seq as received (after its ICV verified); false, changing nothing, when check(seq) is false. */
  update(seq: number): boolean {
    if (!this.check(seq)) return false;
    if (seq > this.topSeq) {
      const advance = seq - this.topSeq;
      if (advance >= this.ringBits) {
        this.bits.fill(0);
      } else {
        for (let s = this.topSeq + 1; s <= seq; s++) {
          const bit = s % this.ringBits;
          this.bits[bit >>> 5] &= ~(1 << (bit & 31));
        }
      }
      this.topSeq = seq;
    }
    const bit = seq % this.ringBits;
    this.bits[bit >>> 5] |= 1 << (bit & 31);
    return true;
  }
}
