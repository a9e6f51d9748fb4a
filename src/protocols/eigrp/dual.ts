// The topology table and DUAL (RFC 7868 section 3), one explicit state machine
// per destination. Each destination keeps every path heard (per neighbour,
// plus a local origin: a connected network, a redistributed route or a
// summary), the feasible distance (FD), and its state:
//   passive: a change that leaves a path meeting the feasibility condition
//            (its reported distance below FD) is settled locally: the best
//            such path becomes the successor and FD the new distance, with no
//            query (a feasible successor takes over);
//   active:  otherwise the router keeps FD, queries every neighbour and waits
//            for all their replies (a neighbour going down counts as an
//            infinite reply); when the last arrives it goes passive with the
//            best path left, whatever its reported distance, and FD reset.
// A query heard while passive is answered at once when a feasible path
// remains; one that sends the destination active is answered when it goes
// passive again. A query from a non-successor while active is answered at
// once with the current distance. The owner (eigrp-instance.ts) does the I/O
// through DualIo and arms the stuck-in-active timer.

import type { EigrpExternalData, EigrpMetric } from "../../wire/eigrp.ts";
import { EIGRP_INFINITY } from "./metric.ts";

/** One way to reach a destination. */
export interface TopologyPath {
  /** The neighbour's key, or "local" for a route we originate. */
  readonly from: string;
  readonly nextHop: number;
  readonly interface: string;
  /** Our metric through this path (the neighbour's plus the link, and any inbound offset). */
  readonly metric: EigrpMetric;
  /** Composite metric through this path. */
  readonly distance: number;
  /** Reported distance: the neighbour's own composite metric (0 for local). */
  readonly reported: number;
  readonly external?: EigrpExternalData;
  /** Local origin: what it is. */
  readonly origin?: "connected" | "redistributed" | "summary";
}

export type DualState = "passive" | "active";

export interface TopologyEntry {
  readonly prefix: number;
  readonly length: number;
  readonly key: string;
  state: DualState;
  fd: number;
  readonly paths: Map<string, TopologyPath>;
  /** The paths in use (equal cost, or within variance and feasible). */
  successors: TopologyPath[];
  /** The topology table's serial number of its last change (`serno` in show ip eigrp topology all-links). */
  serno: number;
  /** While active: the diffusing computation (absent while passive, which most destinations are). */
  active?: ActiveComputation;
}

/** What an active destination keeps until it goes passive. */
export interface ActiveComputation {
  /** Neighbours whose reply we wait for. */
  readonly awaiting: Set<string>;
  /** Neighbours whose query we answer when the destination goes passive. */
  readonly replyTo: Set<string>;
  /** The distance we queried with (what we answer other queries with). */
  readonly queryDistance: number;
  since: number;
  siaTimer?: { cancel(): void };
}

/** What DUAL asks its owner to do. */
export interface DualIo {
  /** Neighbours to query when going active (every established neighbour). */
  queryTargets(): string[];
  sendQuery(neighbor: string, entry: TopologyEntry, metric: EigrpMetric | null): void;
  sendReply(neighbor: string, entry: TopologyEntry, path: TopologyPath | null): void;
  /** The destination's successors or state changed: RIB and updates follow. */
  changed(entry: TopologyEntry): void;
  wentActive(entry: TopologyEntry, queried: number): void;
  wentPassive(entry: TopologyEntry): void;
}

export const entryKey = (prefix: number, length: number): string => `${prefix >>> 0}/${length}`;

/** How a path change reached us. */
export type DualInput = "update" | "query" | "reply" | "lost";

export class Dual {
  readonly entries = new Map<string, TopologyEntry>();

  constructor(
    private readonly io: DualIo,
    private readonly limits: () => { variance: number; maximumPaths: number },
  ) {}

  get(prefix: number, length: number): TopologyEntry | undefined {
    return this.entries.get(entryKey(prefix, length));
  }

  private entry(prefix: number, length: number): TopologyEntry {
    const key = entryKey(prefix, length);
    let e = this.entries.get(key);
    if (e === undefined) {
      e = {
        prefix,
        length,
        key,
        state: "passive",
        fd: EIGRP_INFINITY,
        paths: new Map(),
        successors: [],
        serno: 0,
      };
      this.entries.set(key, e);
    }
    return e;
  }

  /**
   * A path to a destination changed: `path` is the new one from `from` (null: withdrawn or unreachable).
   * `input` says how it came; a query's sender gets its reply from here.
   */
  input(prefix: number, length: number, from: string, path: TopologyPath | null, input: DualInput): void {
    const known = this.get(prefix, length);
    if (known === undefined && (path === null || path.distance >= EIGRP_INFINITY)) {
      // Nothing known and nothing usable heard: a query gets an infinite reply, nothing else happens.
      if (input === "query") this.io.sendReply(from, { ...this.entry(prefix, length) }, null);
      this.dropIfEmpty(this.entry(prefix, length));
      return;
    }
    const e = known ?? this.entry(prefix, length);
    if (path === null || path.distance >= EIGRP_INFINITY) e.paths.delete(from);
    else e.paths.set(from, path);
    if (e.state === "active") {
      this.inputActive(e, from, input);
      return;
    }
    this.inputPassive(e, from, input);
  }

  /** Forgets every path through a neighbour (it went down): each destination reacts as to an infinite reply. */
  neighborDown(key: string): void {
    for (const e of [...this.entries.values()]) {
      e.active?.replyTo.delete(key);
      if (!e.paths.has(key) && e.active?.awaiting.has(key) !== true) continue;
      this.input(e.prefix, e.length, key, null, "lost");
    }
  }

  /** Stuck in active: the neighbours that never replied are given up (the owner resets them). */
  laggards(e: TopologyEntry): string[] {
    return [...(e.active?.awaiting ?? [])];
  }

  private inputPassive(e: TopologyEntry, from: string, input: DualInput): void {
    const best = this.bestDistance(e);
    const current = e.successors[0]?.distance ?? EIGRP_INFINITY;
    const successorHit = e.successors.some((s) => s.from === from);
    const changed = best !== current || successorHit || e.successors.length === 0;
    if (!changed && input !== "query") {
      // A path other than the successor's changed: successors may gain an equal or variance path.
      this.settle(e, false);
      return;
    }
    if (best >= EIGRP_INFINITY && e.successors.length === 0 && e.fd >= EIGRP_INFINITY) {
      // Nothing was reachable and nothing is: answer and forget.
      if (input === "query") this.io.sendReply(from, e, null);
      this.dropIfEmpty(e);
      return;
    }
    const feasible = this.feasiblePaths(e, e.fd);
    const bestFeasible = feasible.length > 0 ? Math.min(...feasible.map((p) => p.distance)) : EIGRP_INFINITY;
    if (bestFeasible < EIGRP_INFINITY && bestFeasible === best) {
      // Local computation: a feasible successor (or the successor itself) is the best path.
      this.settle(e, true);
      if (input === "query") this.io.sendReply(from, e, this.replyPath(e, from));
      return;
    }
    if (best >= EIGRP_INFINITY && e.fd >= EIGRP_INFINITY) {
      this.settle(e, true);
      if (input === "query") this.io.sendReply(from, e, null);
      return;
    }
    // No feasible path is the best: go active and ask everyone.
    this.goActive(e, from, input);
  }

  private inputActive(e: TopologyEntry, from: string, input: DualInput): void {
    const a = e.active!;
    if (input === "reply" || input === "lost") a.awaiting.delete(from);
    if (input === "query") {
      if (e.successors.some((s) => s.from === from)) a.replyTo.add(from);
      else this.io.sendReply(from, e, this.queryPath(e));
    }
    if (a.awaiting.size === 0) this.goPassive(e);
  }

  private goActive(e: TopologyEntry, from: string, input: DualInput): void {
    const successor = e.successors[0];
    const via = successor !== undefined ? e.paths.get(successor.from) : undefined;
    e.state = "active";
    const a: ActiveComputation = {
      awaiting: new Set(),
      replyTo: new Set(),
      queryDistance: via?.distance ?? EIGRP_INFINITY,
      since: 0,
    };
    e.active = a;
    // The old successor's path, if it still exists, stays in use while active.
    e.successors = via !== undefined ? [via] : [];
    if (input === "query") a.replyTo.add(from);
    const targets = this.io.queryTargets();
    for (const t of targets) a.awaiting.add(t);
    this.io.wentActive(e, targets.length);
    this.io.changed(e);
    for (const t of targets) this.io.sendQuery(t, e, via?.metric ?? null);
    if (a.awaiting.size === 0) this.goPassive(e);
  }

  private goPassive(e: TopologyEntry): void {
    e.state = "passive";
    const a = e.active;
    e.active = undefined;
    a?.siaTimer?.cancel();
    e.fd = EIGRP_INFINITY;
    this.settle(e, true);
    this.io.wentPassive(e);
    for (const q of a?.replyTo ?? []) this.io.sendReply(q, e, this.replyPath(e, q));
    this.dropIfEmpty(e);
  }

  /** Chooses successors from the paths: FD follows the best distance when `resetFd`. */
  private settle(e: TopologyEntry, resetFd: boolean): void {
    const best = this.bestDistance(e);
    const before = e.successors.map((s) => `${s.from}:${s.distance}:${s.nextHop}`).join();
    if (resetFd || best < e.fd) e.fd = best;
    const { variance, maximumPaths } = this.limits();
    const paths = [...e.paths.values()].filter((p) => p.distance < EIGRP_INFINITY);
    const chosen = paths
      .filter((p) => p.distance === best || (p.reported < e.fd && p.distance <= best * variance))
      .sort((a, b) => a.distance - b.distance || a.nextHop - b.nextHop)
      .slice(0, maximumPaths);
    e.successors = best < EIGRP_INFINITY ? chosen : [];
    const after = e.successors.map((s) => `${s.from}:${s.distance}:${s.nextHop}`).join();
    if (before !== after || resetFd) this.io.changed(e);
  }

  private bestDistance(e: TopologyEntry): number {
    let best = EIGRP_INFINITY;
    for (const p of e.paths.values()) if (p.distance < best) best = p.distance;
    return best;
  }

  /** Paths meeting the feasibility condition against `fd` (local origins always do). */
  feasiblePaths(e: TopologyEntry, fd: number): TopologyPath[] {
    return [...e.paths.values()].filter((p) => p.distance < EIGRP_INFINITY && (p.from === "local" || p.reported < fd));
  }

  /** What a reply to `to` carries: our best path, or nothing when it is our successor (poison reverse). */
  private replyPath(e: TopologyEntry, to: string): TopologyPath | null {
    const s = e.successors[0];
    if (s === undefined || e.successors.some((x) => x.from === to)) return null;
    return s;
  }

  /** While active, other queries are answered with the distance we queried with. */
  private queryPath(e: TopologyEntry): TopologyPath | null {
    return (e.active?.queryDistance ?? EIGRP_INFINITY) < EIGRP_INFINITY ? (e.successors[0] ?? null) : null;
  }

  private dropIfEmpty(e: TopologyEntry): void {
    if (e.paths.size === 0 && e.state === "passive") {
      this.entries.delete(e.key);
      if (e.successors.length > 0) {
        e.successors = [];
        this.io.changed(e);
      }
    }
  }
}
