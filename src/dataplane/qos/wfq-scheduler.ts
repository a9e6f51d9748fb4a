// Flow-based weighted fair queueing (`fair-queue [CDT [dynamic [reservable]]]`,
// IOS's default on serial interfaces at E1 speed and below). A packet's
// conversation is a hash of its addresses, protocol, ports and ToS, taken
// modulo the dynamic conversation count; its weight is 32384/(precedence+1).
// The finish tags and the heap run in the Wasm scheduler (WasmWfq), built on
// the first packet that has to wait; the conversation counts `show` prints
// are kept here.

import { DescriptorBatch, Verdict, type VerdictCode, wfqWeight } from "../../fastpath/sched/types.ts";
import { WasmWfq } from "../../fastpath/sched/wasm-schedulers.ts";
import type { AclPacket } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import type { OutputScheduler, PacketClass } from "./output-scheduler.ts";

/** `fair-queue` parameters. */
export interface FairQueueConfig {
  /** Congestive discard threshold: packets one conversation may hold (1-4096, IOS default 64). */
  cdt: number;
  /** Dynamic conversation queues (16-4096, a power of 2; IOS default from the bandwidth). */
  dynamic: number;
  /** Reservable (RSVP) conversation queues (0-1000, default 0). */
  reservable: number;
}

/** IOS's WFQ hold queue (`Output queue: 0/1000/64/0`). */
export const WFQ_HOLD_QUEUE = 1000;
/** IOS's default congestive discard threshold. */
export const WFQ_DEFAULT_CDT = 64;

/** IOS's dynamic conversation count for an interface bandwidth. */
export function defaultDynamicQueues(bandwidthKbps: number): number {
  if (bandwidthKbps <= 64) return 16;
  if (bandwidthKbps <= 128) return 32;
  if (bandwidthKbps <= 256) return 64;
  if (bandwidthKbps <= 512) return 128;
  return 256;
}

/** The conversation hash: addresses, protocol, ports and ToS mixed into 32 bits. */
export function wfqFlowHash(h: AclPacket): number {
  let x = Math.imul(h.src ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13) ^ h.dst, 0xc2b2ae35);
  x = Math.imul(x ^ (x >>> 16) ^ ((h.protocol << 8) | h.tos), 0x27d4eb2f);
  x = Math.imul(x ^ (x >>> 15) ^ (((h.srcPort ?? 0) << 16) | (h.dstPort ?? 0)), 0x165667b1);
  return (x ^ (x >>> 16)) >>> 0;
}

/** WFQ on one interface. */
export class WfqScheduler implements OutputScheduler {
  readonly strategy = "weighted fair";
  readonly usesClassificationSeam = false;
  readonly bypassWhenIdle = true;
  private wasm: WasmWfq | null = null;
  private readonly batch = new DescriptorBatch(1);
  private readonly out = new Uint32Array(1);
  /** Packets per conversation (the last one is the link queue for what is not IP). */
  private readonly perConversation: Int32Array;
  private convOf: Int32Array = new Int32Array(64);
  private count = 0;
  private active = 0;
  /** Most conversations active at once (`max active`). */
  private maxActive = 0;
  /** Drops (hold queue full or congestive discard) since the scheduler was built. */
  drops = 0;
  /** Per conversation, what `show queue` prints: drops, and the header, length and precedence of its latest packet. */
  private readonly conversationDrops: Int32Array;
  private readonly latest = new Map<number, { header: AclPacket | null; length: number; precedence: number }>();
  private lastHeader: AclPacket | null = null;

  constructor(
    readonly config: FairQueueConfig,
    readonly limit: number,
    private readonly bandwidthKbps: number,
  ) {
    this.perConversation = new Int32Array(config.dynamic + 1);
    this.conversationDrops = new Int32Array(config.dynamic + 1);
  }

  /** Conversation from the flow hash; link traffic (not IP) has its own. */
  classify(header: AclPacket | null, _egress: RouterInterface, out: PacketClass): void {
    out.key = header === null ? this.config.dynamic : wfqFlowHash(header) % this.config.dynamic;
    this.lastHeader = header;
  }

  enqueue(handle: number, length: number, cls: PacketClass, nowUs: number): VerdictCode {
    if (this.wasm === null)
      this.wasm = new WasmWfq({
        conversations: this.config.dynamic + 1,
        cdt: this.config.cdt,
        holdQueueLimit: this.limit,
      });
    const b = this.batch;
    b.set(0, handle, length, cls.key, cls.precedence);
    this.wasm.enqueue(b, 1, nowUs);
    const v = b.verdict[0]! as VerdictCode;
    if (v !== Verdict.queued) {
      this.drops++;
      this.conversationDrops[cls.key]!++;
      return v;
    }
    this.latest.set(cls.key, { header: this.lastHeader, length, precedence: cls.precedence });
    if (handle >= this.convOf.length) {
      const bigger = new Int32Array(Math.max(handle + 1, this.convOf.length * 2));
      bigger.set(this.convOf);
      this.convOf = bigger;
    }
    this.convOf[handle] = cls.key;
    if (this.perConversation[cls.key]!++ === 0) {
      this.active++;
      if (this.active > this.maxActive) this.maxActive = this.active;
    }
    this.count++;
    return v;
  }

  dequeue(): number {
    if (this.wasm === null || this.count === 0) return -1;
    if (this.wasm.dequeue(this.out, 1) === 0) return -1;
    const handle = this.out[0]!;
    const conv = this.convOf[handle]!;
    if (--this.perConversation[conv]! === 0) this.active--;
    this.count--;
    return handle;
  }

  get packets(): number {
    return this.count;
  }

  /** Conversations with packets queued now. */
  get activeConversations(): number {
    return this.active;
  }

  /** Most conversations active at once. */
  get maxActiveConversations(): number {
    return this.maxActive;
  }

  /** The conversations with packets queued, as `show queue` lists them. */
  activeList(): {
    conversation: number;
    depth: number;
    weight: number;
    drops: number;
    header: AclPacket | null;
    length: number;
  }[] {
    const out = [];
    for (let c = 0; c < this.perConversation.length; c++) {
      const depth = this.perConversation[c]!;
      if (depth === 0) continue;
      const last = this.latest.get(c)!;
      out.push({
        conversation: c,
        depth,
        weight: wfqWeight(last.precedence),
        drops: this.conversationDrops[c]!,
        header: last.header,
        length: last.length,
      });
    }
    return out;
  }

  /** `clear counters`: drops and max active start again (max active from what is active now). */
  clearCounters(): void {
    this.drops = 0;
    this.conversationDrops.fill(0);
    this.maxActive = this.active;
  }

  clear(): void {
    this.wasm?.clear();
    this.perConversation.fill(0);
    this.count = 0;
    this.active = 0;
  }

  /** IOS's weighted-fair block: output queue with threshold and drops, conversations, reserved, available bandwidth. */
  interfaceLines(): string[] {
    return [
      "  Queueing strategy: weighted fair",
      `  Output queue: ${this.count}/${this.limit}/${this.config.cdt}/${this.drops} (size/max total/threshold/drops)`,
      `     Conversations  ${this.active}/${this.maxActive}/${this.config.dynamic} (active/max active/max total)`,
      // Reserved conversations are RSVP's, and wanlab runs no RSVP: none is ever allocated.
      "     Reserved Conversations 0/0 (allocated/max allocated)",
      `     Available Bandwidth ${Math.floor((this.bandwidthKbps * 3) / 4)} kilobits/sec`,
    ];
  }
}
