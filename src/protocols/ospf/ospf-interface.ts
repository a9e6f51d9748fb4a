// The per-interface and per-neighbor data of an OSPF process (RFC 2328 9 and
// 10): configured parameters resolved against IOS defaults, the interface's
// state, DR and BDR, its timers, and for each neighbor its state, the
// Database Description exchange variables and the three lists of 10
// (database summary, link state request, link state retransmission).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { Lsa, LsaHeader } from "../../wire/ospf/index.ts";
import type { InterfaceState } from "./interface-state.ts";
import type { LsaKey } from "./lsdb.ts";
import type { NeighborState } from "./neighbor-state.ts";
import type { OspfNetworkType } from "./network-type.ts";
import type { OspfAuthMode } from "./ospf-config.ts";

/** A neighbor on one interface. */

/** IOS's default RxmtInterval (`ip ospf retransmit-interval`). */
export const DEFAULT_RETRANSMIT_SEC = 5;
export class OspfNeighbor {
  state: NeighborState = "DOWN";
  routerId: number;
  priority = 1;
  /** DR and BDR it declares in its hellos. */
  dr = 0;
  bdr = 0;
  options = 0;
  inactivity: TimerHandle | undefined;
  /** When the inactivity timer fires (show ip ospf neighbor's Dead Time). */
  deadAt: TimeNs = 0;
  stateChangedAt: TimeNs;
  /** Database Description exchange (10.6, 10.8). */
  master = false;
  ddSeq = 0;
  /** Flags, options and sequence of the last DBD received, for duplicate detection. */
  lastReceived: { flags: number; options: number; sequence: number } | undefined;
  /** The last DBD sent (the master retransmits it; the slave repeats it for a duplicate). */
  lastSent: Uint8Array | undefined;
  dbdTimer: TimerHandle | undefined;
  /** Whether the last DBD we sent had M set. */
  sentMore = false;
  summaryList: LsaHeader[] = [];
  requestList = new Map<LsaKey, LsaHeader>();
  lsrTimer: TimerHandle | undefined;
  /** Keys asked for in the last Link State Request. */
  lsrOutstanding = new Set<LsaKey>();
  retransmitList = new Map<LsaKey, Lsa>();
  retransmitTimer: TimerHandle | undefined;
  retransmitDueAt: TimeNs = 0;
  /** Whether this neighbor is a configured `neighbor` on a non-broadcast network (kept in DOWN). */
  configured = false;
  /** The last MD5 sequence number accepted from it (replay protection, D.5.2). */
  md5Sequence = 0;
  /** DBDs dropped because its MTU is larger than ours (show ip ospf neighbor detail). */
  mtuMismatches = 0;
  /** State changes so far, and LSU retransmissions to it (show ip ospf neighbor detail). */
  stateChanges = 0;
  retransmissions = 0;

  constructor(
    readonly ospfInterface: OspfInterface,
    routerId: number,
    public address: number,
    now: TimeNs,
  ) {
    this.routerId = routerId;
    this.stateChangedAt = now;
  }
}

/** OSPF on one router interface. */
export class OspfInterface {
  state: InterfaceState = "DOWN";
  dr = 0;
  bdr = 0;
  /** Neighbors by address (router ID on point-to-point). */
  readonly neighbors = new Map<number, OspfNeighbor>();
  helloTimer: TimerHandle | undefined;
  waitTimer: TimerHandle | undefined;
  /** LSA headers waiting for a delayed acknowledgment, per destination neighbor address. */
  readonly pendingAcks = new Map<number, LsaHeader[]>();
  ackTimer: TimerHandle | undefined;
  /** LSAs waiting for the flood pacing timer, per destination (group or neighbor address). */
  readonly floodQueue = new Map<number, Map<LsaKey, Lsa>>();
  floodTimer: TimerHandle | undefined;
  /** The MD5 cryptographic sequence number we send (D.3: non-decreasing). */
  md5Sequence = 0;
  helloDueAt: TimeNs = 0;
  /** RxmtInterval (RFC 2328 9): seconds before an unacknowledged DBD, LS request or LSA goes again. */
  retransmitSec = DEFAULT_RETRANSMIT_SEC;
  stateChangedAt: TimeNs;

  constructor(
    readonly ifc: RouterInterface,
    public area: number,
    public networkType: OspfNetworkType,
    public priority: number,
    public cost: number,
    public helloSec: number,
    public deadSec: number,
    public passive: boolean,
    public auth: OspfAuthMode,
    /** The simple password, or MD5 keys by id. */
    public simpleKey: string | undefined,
    public md5Keys: Map<number, string>,
    now: TimeNs,
  ) {
    this.stateChangedAt = now;
  }

  get name(): string {
    return this.ifc.name;
  }

  get address(): number {
    return this.ifc.config.address?.address ?? 0;
  }

  get maskLength(): number {
    return this.ifc.config.address?.length ?? 32;
  }

  /** Neighbors in state FULL. */
  full(): OspfNeighbor[] {
    return [...this.neighbors.values()].filter((n) => n.state === "FULL");
  }
}
