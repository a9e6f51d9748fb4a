// One EIGRP neighbour (RFC 7868 5.3, 5.5): its address and interface, hold
// time and when it was last heard, the INIT exchange (up once both INIT
// updates are acknowledged), and its reliable transport: a queue of update,
// query and reply packets sent one at a time (IOS's window of 1), each with a
// sequence number, retransmitted after the RTO until acknowledged, with SRTT
// measured from the acknowledgments (IOS: RTO = 6 × SRTT, 200-5000 ms) and the
// neighbour reset after 16 retransmissions. What we last advertised to it is
// kept per destination so updates carry only changes (and it learns the
// whole table when it comes up); changes wait in a pending set while a packet
// is outstanding and go out together, as their latest state, when it is acked.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { EigrpOpcode, EigrpRoute, EigrpTlv } from "../../wire/eigrp.ts";

/** A packet waiting in a neighbour's reliable queue. */
export interface ReliablePacket {
  opcode: Extract<EigrpOpcode, "update" | "query" | "reply">;
  flags: number;
  tlvs: EigrpTlv[];
  /** Assigned when it is first sent. */
  sequence: number;
}

/** IOS retransmits a reliable packet 16 times before resetting the neighbour. */
export const EIGRP_RETRY_LIMIT = 16;

export const MS = 1_000_000;

export class EigrpNeighbor {
  /** Handle H of `show ip eigrp neighbors`: the order neighbours were learned in. */
  readonly handle: number;
  readonly key: string;
  holdSeconds: number;
  lastHeard: TimeNs;
  readonly upSince: TimeNs;
  /** Our INIT update was acknowledged / theirs received: both make the adjacency established. */
  initAcked = false;
  initReceived = false;
  /** Last sequence number received in a reliable packet (`Seq Num`). */
  lastSequence = 0;
  srttMs = 0;
  rtoMs = 5000;
  readonly queue: ReliablePacket[] = [];
  /** When the head of the queue was first sent and how many times it was resent. */
  firstSentAt: TimeNs = 0;
  retransmissions = 0;
  retransmitTimer: TimerHandle | undefined;
  holdTimer: TimerHandle | undefined;
  /** Total retransmissions (show ip eigrp neighbors detail). */
  retransmitCount = 0;
  /** What we last told it per destination: the distance, and a next hop where it was not ourselves (0). */
  private readonly advertisedDistance = new Map<string, number>();
  private readonly advertisedNextHop = new Map<string, number>();
  /**
   * Destinations whose advertisement may have changed since the last update was built: the next update
   * is built from the table when the queue drains, so changes made meanwhile go out once, as their latest.
   */
  readonly pendingUpdate = new Set<string>();
  /** The pending update ends the initial table (EOT). */
  pendingEot = false;
  /**
   * The routes it sent that `distribute-list ... in` denied, per destination (usually none): a changed list
   * lets them in without a new update.
   */
  readonly filteredIn = new Map<string, EigrpRoute>();
  /** When it last sent us routes (show ip protocols' Last Update). */
  lastRoutesAt: TimeNs | undefined;
  /** `eigrp stub` on its side: the flags of its stub TLV (it is never queried). */
  stubFlags: number | undefined;
  /** Software version from its hello, if sent. */
  version: [number, number, number, number] | undefined;

  constructor(
    readonly address: number,
    readonly ifc: RouterInterface,
    handle: number,
    holdSeconds: number,
    now: TimeNs,
  ) {
    this.handle = handle;
    this.key = neighborKey(ifc.name, address);
    this.holdSeconds = holdSeconds;
    this.lastHeard = now;
    this.upSince = now;
  }

  /** Both INIT updates went through: routes may flow. */
  get established(): boolean {
    return this.initAcked && this.initReceived;
  }

  /** Takes an RTT sample (ms) from an acknowledgment. */
  sample(rttMs: number): void {
    this.srttMs = this.srttMs === 0 ? rttMs : Math.round(0.8 * this.srttMs + 0.2 * rttMs);
    if (this.srttMs === 0) this.srttMs = 1;
    this.rtoMs = Math.min(5000, Math.max(200, 6 * this.srttMs));
  }

  /** Records what it was told about a destination. */
  advertise(key: string, distance: number, nextHop: number): void {
    this.advertisedDistance.set(key, distance);
    if (nextHop !== 0) this.advertisedNextHop.set(key, nextHop);
    else this.advertisedNextHop.delete(key);
  }

  /** What it was last told about a destination, if anything. */
  advertised(key: string): { distance: number; nextHop: number } | undefined {
    const distance = this.advertisedDistance.get(key);
    return distance === undefined ? undefined : { distance, nextHop: this.advertisedNextHop.get(key) ?? 0 };
  }

  /** It no longer knows the destination from us. */
  forget(key: string): void {
    this.advertisedDistance.delete(key);
    this.advertisedNextHop.delete(key);
  }

  cancelTimers(): void {
    this.retransmitTimer?.cancel();
    this.retransmitTimer = undefined;
    this.holdTimer?.cancel();
    this.holdTimer = undefined;
  }
}

/** Neighbours are found by interface and address (no scans: a hub may have a thousand on one interface). */
export function neighborKey(interfaceName: string, address: number): string {
  return `${interfaceName}|${address >>> 0}`;
}
