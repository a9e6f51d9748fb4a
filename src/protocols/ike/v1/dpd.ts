// Dead Peer Detection (RFC 3706) as IOS runs it with `crypto isakmp keepalive
// SECONDS [RETRY] [periodic|on-demand]`: an R-U-THERE notify (protected under
// the ISAKMP SA, carrying a sequence number) every SECONDS — always when
// periodic, only when traffic went out but nothing came back when on-demand —
// then every RETRY seconds while no R-U-THERE-ACK arrives; after five
// unanswered retries the peer is dead and its SAs are deleted.

import type { TimeNs } from "../../../runtime/device.ts";
import type { TimerHandle } from "../../../runtime/device-timers.ts";
import type { IsakmpKeepalive } from "../../ipsec/crypto-config.ts";

const SEC = 1_000_000_000;
/** IOS gives up after this many unanswered retries. */
export const DPD_MAX_RETRIES = 5;

/** What DPD needs from the IKE daemon for one SA. */
export interface DpdHost {
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  /** Sends R-U-THERE with this sequence number. */
  sendRuThere(sequence: number): void;
  /** Packets sent to and received from the peer so far (IPsec and IKE), for on-demand mode. */
  activity(): { sent: number; received: number };
  /** The peer did not answer: delete its SAs. */
  peerDead(): void;
  debug(line: () => string): void;
}

/** DPD state of one ISAKMP SA. */
export class DeadPeerDetection {
  private sequence: number;
  private retries = 0;
  private timer: TimerHandle | null = null;
  private awaiting: number | null = null;
  private lastActivity: { sent: number; received: number };

  constructor(
    private readonly config: IsakmpKeepalive,
    private readonly host: DpdHost,
    firstSequence: number,
  ) {
    this.sequence = firstSequence;
    this.lastActivity = host.activity();
    this.arm(config.intervalSec);
  }

  /** The peer acknowledged `sequence`. */
  acknowledged(sequence: number): boolean {
    if (this.awaiting === null || sequence !== this.awaiting) return false;
    this.awaiting = null;
    this.retries = 0;
    this.timer?.cancel();
    this.arm(this.config.intervalSec);
    return true;
  }

  /** Stops every timer (the SA is going away). */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private arm(seconds: number): void {
    this.timer = this.host.after(seconds * SEC, "isakmp-dpd", () => this.tick());
  }

  private tick(): void {
    this.timer = null;
    if (this.awaiting !== null) {
      if (this.retries >= DPD_MAX_RETRIES) {
        this.host.debug(() => `DPD: peer did not answer ${DPD_MAX_RETRIES} retries: declaring it dead`);
        this.host.peerDead();
        return;
      }
      this.retries++;
      this.send();
      this.arm(this.config.retrySec);
      return;
    }
    const now = this.host.activity();
    const sentSince = now.sent - this.lastActivity.sent;
    const receivedSince = now.received - this.lastActivity.received;
    this.lastActivity = now;
    // On demand: only worry when traffic went out and nothing came back.
    if (this.config.mode === "on-demand" && !(sentSince > 0 && receivedSince === 0)) {
      this.arm(this.config.intervalSec);
      return;
    }
    this.send();
    this.arm(this.config.retrySec);
  }

  private send(): void {
    this.sequence = (this.sequence + 1) >>> 0;
    this.awaiting = this.sequence;
    this.host.sendRuThere(this.sequence);
  }
}
