// A policy-map attached to one interface in one direction: the run-time side
// of `service-policy input|output NAME`. Per packet it finds the class
// (mqc-classify.ts), counts it, applies the class's police (mqc-meter.ts),
// set and drop actions, and says which CBWFQ class queue it goes to; the
// output queue (the interface's scheduler) reports back what it queued,
// dropped and sent so the per-class counters of `show policy-map interface`
// are what happened. A class with `service-policy CHILD` (hierarchical QoS:
// a shaper in the parent's class-default over a child queueing policy) gets a
// child attachment whose classes are the queues; the parent's shaper gates
// when the queue may send.

import type { CbwfqClassConfig, CbwfqConfig } from "../../fastpath/sched/types.ts";
import { checksumUpdate16 } from "../../wire/checksum.ts";
import type { AclPacket } from "../acl.ts";
import { RateEstimator } from "../pipeline/interface-rate.ts";
import { type ClassifyLookups, classifyPacket } from "./mqc-classify.ts";
import { type Colour, type Meter, meterFor, Shaper } from "./mqc-meter.ts";
import { CLASS_DEFAULT, orderedClasses, type PoliceAction, type PolicyClass, type PolicyMap } from "./mqc-policy.ts";
import { wfqFlowHash } from "./wfq-scheduler.ts";

/** Packets and bytes. */
export interface Count {
  packets: number;
  bytes: number;
}

/** One colour's counters of a policer. */
export interface ColourCounters extends Count {
  readonly rate: RateEstimator;
}

/** The counters of one class, as `show policy-map interface` prints them. */
export interface ClassCounters {
  /** Classified into the class. */
  readonly matched: Count;
  readonly offered: RateEstimator;
  readonly dropRate: RateEstimator;
  /** Dropped for any reason (police, drop, tail drop, LLQ policer). */
  readonly drops: Count;
  /** Tail drops at the class queue. */
  readonly tailDrops: Count;
  /** LLQ: dropped by the implicit priority policer. */
  readonly priorityPolicerDrops: Count;
  /** Left the queue onto the wire. */
  readonly output: Count;
  /** Packets in the class queue now. */
  queueDepth: number;
  /** Rewritten by `set` (or a policer's set-*-transmit). */
  marked: number;
  readonly police: Record<Colour, ColourCounters>;
}

/** What the attachment decided for one packet. */
export interface Admission {
  /** Index of the class queue (CBWFQ key); -1 when the packet is dropped. */
  readonly queue: number;
  /** Conversation inside a fair-queue class. */
  readonly flow: number;
}

function newCounters(loadIntervalSec: number): ClassCounters {
  const colour = (): ColourCounters => ({ packets: 0, bytes: 0, rate: new RateEstimator(loadIntervalSec) });
  return {
    matched: { packets: 0, bytes: 0 },
    offered: new RateEstimator(loadIntervalSec),
    dropRate: new RateEstimator(loadIntervalSec),
    drops: { packets: 0, bytes: 0 },
    tailDrops: { packets: 0, bytes: 0 },
    priorityPolicerDrops: { packets: 0, bytes: 0 },
    output: { packets: 0, bytes: 0 },
    queueDepth: 0,
    marked: 0,
    police: { conform: colour(), exceed: colour(), violate: colour() },
  };
}

/** Rewrites the ToS byte of an IPv4 datagram in place, keeping the header checksum right. */
export function rewriteTos(dgram: Uint8Array, tos: number): void {
  const old = dgram[1]!;
  if (old === tos) return;
  const oldWord = (dgram[0]! << 8) | old;
  const newWord = (dgram[0]! << 8) | tos;
  dgram[1] = tos;
  const sum = checksumUpdate16((dgram[10]! << 8) | dgram[11]!, oldWord, newWord);
  dgram[10] = sum >> 8;
  dgram[11] = sum & 0xff;
}

/** The ToS a `set` or police action gives (ECN bits kept). */
function markedTos(tos: number, field: "dscp" | "precedence", value: number): number {
  return field === "dscp" ? ((value << 2) | (tos & 3)) & 0xff : ((value << 5) | (tos & 0x1f)) & 0xff;
}

/** One class of an attached policy with its run-time state. */
export interface AttachedClass {
  readonly config: PolicyClass;
  readonly counters: ClassCounters;
  readonly meter: Meter | null;
  /** The child policy under this class, attached beside it. */
  readonly child: PolicyAttachment | null;
}

/** A policy-map in service on one interface and direction. */
export class PolicyAttachment {
  readonly classes: AttachedClass[];
  /** The parent class-default's shaper of a hierarchical policy (gates the whole queue). */
  readonly shaper: Shaper | null;
  /** The classes' configurations in order (what classification walks per packet). */
  private readonly configs: PolicyClass[];
  /** Index of the class whose child policy queues (hierarchical), or -1. */
  private readonly queueingParent: number;

  constructor(
    readonly policy: PolicyMap,
    readonly direction: "input" | "output",
    private readonly lookups: ClassifyLookups & { policyMap(name: string): PolicyMap | undefined },
    public loadIntervalSec: number,
    /** The attachment this one replaces (the policy was edited): classes of the same name keep their counters. */
    previous?: PolicyAttachment,
  ) {
    this.classes = orderedClasses(policy).map((c) => {
      const childPolicy = c.servicePolicy === undefined ? undefined : lookups.policyMap(c.servicePolicy);
      const before = previous?.classes.find((p) => p.config.name === c.name);
      const counters = before?.counters ?? newCounters(loadIntervalSec);
      counters.queueDepth = 0;
      return {
        config: c,
        counters,
        meter: c.police === undefined ? null : meterFor(c.police),
        child:
          childPolicy === undefined
            ? null
            : new PolicyAttachment(childPolicy, direction, lookups, loadIntervalSec, before?.child ?? undefined),
      };
    });
    this.configs = this.classes.map((c) => c.config);
    this.queueingParent = this.classes.findIndex((c) => c.child !== null && c.config.name === CLASS_DEFAULT);
    const parent = this.queueingParent >= 0 ? this.classes[this.queueingParent]! : undefined;
    const shaped = parent ?? this.classes.find((c) => c.config.shape !== undefined && c.config.name === CLASS_DEFAULT);
    this.shaper = shaped?.config.shape !== undefined ? new Shaper(shaped.config.shape) : null;
  }

  /** The attachment whose classes are the CBWFQ queues (the child of a hierarchical policy, else this one). */
  get queueing(): PolicyAttachment {
    return this.queueingParent >= 0 ? this.classes[this.queueingParent]!.child! : this;
  }

  /** The rate the queue drains at: the shaper's, else the interface's. */
  drainKbps(ifKbps: number): number {
    return this.shaper === null ? ifKbps : Math.max(1, Math.floor(this.shaper.rateBps / 1000));
  }

  /** The CBWFQ scheduler configuration of the queueing classes on an interface of `ifKbps`. */
  schedulerConfig(ifKbps: number): CbwfqConfig {
    const kbps = this.drainKbps(ifKbps);
    const classes: CbwfqClassConfig[] = this.queueing.classes.map(({ config: c }) => {
      const out: CbwfqClassConfig = { name: c.name };
      if (c.priority !== undefined) {
        out.priorityKbps = c.priority.kind === "kbps" ? c.priority.value : Math.floor((kbps * c.priority.value) / 100);
        if (c.priority.burstBytes !== undefined) out.burstBytes = c.priority.burstBytes;
      } else if (c.bandwidth !== undefined) {
        if (c.bandwidth.kind === "kbps") out.bandwidthKbps = c.bandwidth.value;
        else out.bandwidthPercent = c.bandwidth.value;
      }
      if (c.queueLimit !== undefined) out.queueLimit = c.queueLimit;
      if (c.fairQueue !== undefined) out.fairQueue = { conversations: c.fairQueue.dynamicQueues };
      return out;
    });
    this.applyRemaining(classes, kbps);
    return { interfaceKbps: kbps, classes };
  }

  /** `bandwidth remaining percent`: a share of what priority classes leave. */
  private applyRemaining(classes: CbwfqClassConfig[], kbps: number): void {
    const priority = classes.reduce((s, c) => s + (c.priorityKbps ?? 0), 0);
    const left = Math.max(0, kbps - priority);
    this.queueing.classes.forEach(({ config: c }, i) => {
      if (c.bandwidth?.kind === "remaining")
        classes[i]!.bandwidthKbps = Math.max(1, Math.floor((left * c.bandwidth.value) / 100));
    });
  }

  /**
   * Classifies a packet (`header` as the classification seam shows it; `dgram` the bytes on the wire) at `nowNs`,
   * counts it and applies police, set and drop. Returns the class queue, or queue -1 when it is dropped.
   */
  admit(nowNs: number, header: AclPacket, dgram: Uint8Array): Admission {
    const i = classifyPacket(this.configs, header, this.lookups);
    const cls = this.classes[i]!;
    const size = dgram.length;
    const k = cls.counters;
    k.matched.packets++;
    k.matched.bytes += size;
    k.offered.add(nowNs, size);
    if (!this.act(cls, nowNs, dgram)) {
      this.countDrop(k, nowNs, size);
      return { queue: -1, flow: 0 };
    }
    if (cls.child !== null) {
      const sub = cls.child.admit(nowNs, header, dgram);
      if (sub.queue < 0) this.countDrop(k, nowNs, size);
      return sub;
    }
    return { queue: i, flow: cls.config.fairQueue === undefined ? 0 : wfqFlowHash(header) };
  }

  /** Police, set and drop of one class; false when the packet is dropped. */
  private act(cls: AttachedClass, nowNs: number, dgram: Uint8Array): boolean {
    const c = cls.config;
    if (c.drop === true) return false;
    if (cls.meter !== null && c.police !== undefined) {
      const colour = cls.meter.mark(nowNs, dgram.length);
      const pc = cls.counters.police[colour];
      pc.packets++;
      pc.bytes += dgram.length;
      pc.rate.add(nowNs, dgram.length);
      const action: PoliceAction =
        colour === "conform"
          ? c.police.conform
          : colour === "exceed"
            ? c.police.exceed
            : (c.police.violate ?? c.police.exceed);
      if (action.kind === "drop") return false;
      if (action.kind === "set-dscp-transmit" || action.kind === "set-prec-transmit") {
        rewriteTos(
          dgram,
          markedTos(dgram[1]!, action.kind === "set-dscp-transmit" ? "dscp" : "precedence", action.value),
        );
        cls.counters.marked++;
      }
    }
    if (c.set !== undefined) {
      rewriteTos(dgram, markedTos(dgram[1]!, c.set.field, c.set.value));
      cls.counters.marked++;
    }
    return true;
  }

  private countDrop(k: ClassCounters, nowNs: number, size: number): void {
    k.drops.packets++;
    k.drops.bytes += size;
    k.dropRate.add(nowNs, size);
  }

  /** The counters of queue `queue` (a class of `queueing`). */
  queueCounters(queue: number): ClassCounters {
    return this.queueing.classes[queue]!.counters;
  }

  /** The queue took the packet. */
  queued(queue: number): void {
    this.queueCounters(queue).queueDepth++;
  }

  /** The queue refused the packet: a tail drop, or the LLQ policer. */
  refused(queue: number, nowNs: number, size: number, policed: boolean): void {
    const k = this.queueCounters(queue);
    (policed ? k.priorityPolicerDrops : k.tailDrops).packets++;
    (policed ? k.priorityPolicerDrops : k.tailDrops).bytes += size;
    this.countDrop(k, nowNs, size);
    if (this.queueing !== this) {
      const parent = this.classes[this.queueingParent]!.counters;
      this.countDrop(parent, nowNs, size);
    }
  }

  /** A packet of `queue` left onto the wire. */
  sent(queue: number, size: number): void {
    const k = this.queueCounters(queue);
    k.queueDepth = Math.max(0, k.queueDepth - 1);
    k.output.packets++;
    k.output.bytes += size;
    if (this.queueing !== this) {
      const parent = this.classes[this.queueingParent]!.counters;
      parent.output.packets++;
      parent.output.bytes += size;
    }
  }

  /** `load-interval` on the interface: every rate of every class (and of the child) takes the new time constant. */
  setLoadInterval(seconds: number): void {
    this.loadIntervalSec = seconds;
    for (const c of this.classes) {
      const k = c.counters;
      for (const r of [k.offered, k.dropRate, k.police.conform.rate, k.police.exceed.rate, k.police.violate.rate])
        r.setLoadInterval(seconds);
      c.child?.setLoadInterval(seconds);
    }
  }

  /** `clear counters`: every count of every class (and of the child) starts again; the rates and queues stay. */
  clearCounters(): void {
    for (const c of this.classes) {
      const k = c.counters;
      for (const n of [k.matched, k.drops, k.tailDrops, k.priorityPolicerDrops, k.output, ...Object.values(k.police)]) {
        n.packets = 0;
        n.bytes = 0;
      }
      k.marked = 0;
      c.child?.clearCounters();
    }
  }

  /** The queue was emptied (interface reset): nothing is queued any more. */
  flushed(): void {
    for (const c of this.queueing.classes) c.counters.queueDepth = 0;
  }
}

/** How IOS names a load interval in show output: `30 second`, `5 minute`, `90 second`. */
export function loadIntervalLabel(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute` : `${seconds} second`;
}
