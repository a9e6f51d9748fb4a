// Shared scheduler case suite: every implementation (TypeScript reference and
// Wasm) registers these same cases with its own constructors. Covers PQ strict
// order and IOS limits, CQ byte shares and limits, WFQ weighted shares (within
// 1 %), ties in arrival order, CDT and hold queue, CBWFQ bandwidth shares and the
// policed, never-starved LLQ.
import { describe, expect, test } from "bun:test";
import {
  type CbwfqConfig,
  type CqConfig,
  DescriptorBatch,
  type PacketScheduler,
  type PqConfig,
  Verdict,
  type WfqConfig,
  wfqWeight,
} from "../../../src/fastpath/sched/index.ts";

/** Constructors of one implementation family. */
export interface SchedulerFactories {
  pq(config?: PqConfig): PacketScheduler;
  cq(config?: CqConfig): PacketScheduler;
  wfq(config?: WfqConfig): PacketScheduler;
  cbwfq(config: CbwfqConfig): PacketScheduler;
}

let nextId = 1;
/** Enqueues one packet; returns its verdict. */
export function offer(s: PacketScheduler, key: number, length: number, precedence = 0, nowUs = 0, flow = 0): number {
  const b = new DescriptorBatch(1);
  b.set(0, nextId++, length, key, precedence, flow);
  s.enqueue(b, 1, nowUs);
  return b.verdict[0]!;
}
/** Dequeues everything, returning ids. */
export function drain(s: PacketScheduler): number[] {
  const out = new Uint32Array(4096);
  const n = s.dequeue(out, out.length);
  return Array.from(out.subarray(0, n));
}

/**
 * Serves a link of linkKbps for durationUs: every key in `backlogged` is kept
 * topped up, `arrivals` adds timed packets. Returns bytes sent and accepted per
 * key and, per key, how many times another key's packet was sent while one of its
 * packets waited.
 */
function serve(
  s: PacketScheduler,
  linkKbps: number,
  durationUs: number,
  backlogged: { key: number; precedence?: number; flow?: number; length: (i: number) => number; depth?: number }[],
  arrivals: { key: number; everyUs: number; length: number }[] = [],
): { bytes: Map<number, number>; accepted: Map<number, number>; overtaken: Map<number, number> } {
  const bytes = new Map<number, number>();
  const accepted = new Map<number, number>();
  const overtaken = new Map<number, number>();
  const keyOf = new Map<number, number>();
  const lenOf = new Map<number, number>();
  const queued = new Map<number, number[]>(); // key -> ids waiting (arrival order)
  const depth = new Map<number, number>();
  const b = new DescriptorBatch(1);
  const out = new Uint32Array(1);
  const put = (key: number, len: number, prec: number, flow: number, now: number): void => {
    const id = nextId++;
    b.set(0, id, len, key, prec, flow);
    s.enqueue(b, 1, now);
    if (b.verdict[0] === Verdict.queued) {
      keyOf.set(id, key);
      lenOf.set(id, len);
      if (!queued.has(key)) queued.set(key, []);
      queued.get(key)!.push(id);
      accepted.set(key, (accepted.get(key) ?? 0) + len);
    }
  };
  const next = arrivals.map(() => 0);
  let n = 0;
  let now = 0;
  while (now < durationUs) {
    for (const f of backlogged) {
      const want = f.depth ?? 8;
      const d = depth.get(f.key) ?? 0;
      for (let k = d; k < want; k++) put(f.key, f.length(n++), f.precedence ?? 0, f.flow ?? 0, now);
      depth.set(f.key, want);
    }
    arrivals.forEach((a, i) => {
      while (next[i]! <= now) {
        put(a.key, a.length, 0, 0, next[i]!);
        next[i]! += a.everyUs;
      }
    });
    if (s.dequeue(out, 1) === 0) {
      now += 10;
      continue;
    }
    const id = out[0]!;
    const key = keyOf.get(id)!;
    const len = lenOf.get(id)!;
    for (const [k, ids] of queued) if (k !== key && ids.length > 0) overtaken.set(k, (overtaken.get(k) ?? 0) + 1);
    const waiting = queued.get(key)!;
    waiting.splice(waiting.indexOf(id), 1);
    if (backlogged.some((f) => f.key === key)) depth.set(key, (depth.get(key) ?? 1) - 1);
    bytes.set(key, (bytes.get(key) ?? 0) + len);
    now += (len * 8 * 1000) / linkKbps;
  }
  return { bytes, accepted, overtaken };
}

/** Registers the scheduler cases for one implementation family. */
export function registerSchedulerCases(name: string, make: SchedulerFactories): void {
  describe(`PQ: ${name}`, () => {
    test("strict order high > medium > normal > low, FIFO within a queue", () => {
      const s = make.pq();
      const ids: number[][] = [[], [], [], []];
      for (const q of [3, 2, 1, 0, 3, 2, 1, 0]) {
        const id = nextId;
        offer(s, q, 100);
        ids[q]!.push(id);
      }
      expect(drain(s)).toEqual(ids.flat());
      expect(s.packets).toBe(0);
    });
    test("IOS limits 20/40/60/80 tail-drop; unknown keys go to normal", () => {
      const s = make.pq();
      const drops = [0, 0, 0, 0];
      for (let q = 0; q < 4; q++) for (let i = 0; i < 100; i++) if (offer(s, q, 64) === Verdict.tailDrop) drops[q]!++;
      expect(drops).toEqual([80, 60, 40, 20]);
      expect(offer(s, 9, 64)).toBe(Verdict.tailDrop);
      expect(s.packets).toBe(200);
      expect(s.bytes).toBe(200 * 64);
    });
    test("a backlogged high queue starves low", () => {
      const s = make.pq();
      const r = serve(s, 64, 2_000_000, [
        { key: 0, length: () => 200 },
        { key: 3, length: () => 200 },
      ]);
      expect(r.bytes.get(3) ?? 0).toBe(0);
    });
  });

  describe(`CQ: ${name}`, () => {
    test("byte shares follow the byte counts (within 1 %)", () => {
      const s = make.cq({ byteCounts: [3000, 1500, 4500, 1500], limits: Array(16).fill(100) });
      const sizes = [500, 1500, 300, 64];
      const r = serve(
        s,
        1000,
        20_000_000,
        sizes.map((sz, key) => ({ key, length: (i: number) => sz + (i % 3), depth: 20 })),
      );
      const total = [0, 1, 2, 3].reduce((a, k) => a + r.bytes.get(k)!, 0);
      const counts = [3000, 1500, 4500, 1500];
      counts.forEach((c, k) => expect(Math.abs(r.bytes.get(k)! / total - c / 10500)).toBeLessThan(0.01 * (c / 10500)));
    });
    test("default limit is 20 packets per queue", () => {
      const s = make.cq();
      let drops = 0;
      for (let i = 0; i < 30; i++) if (offer(s, 5, 100) === Verdict.tailDrop) drops++;
      expect(drops).toBe(10);
    });
    test("round robin in queue order, one byte count per visit", () => {
      const s = make.cq();
      const a = [nextId, nextId + 2];
      offer(s, 0, 1000);
      const b0 = nextId;
      offer(s, 1, 1000);
      offer(s, 0, 1000);
      // queue 0 sends 1000 (deficit 500 left, next 1000 does not fit), then queue 1, then queue 0.
      expect(drain(s)).toEqual([a[0]!, b0, a[1]!]);
    });
  });

  describe(`WFQ: ${name}`, () => {
    test("each backlogged flow gets its precedence-weighted byte share (within 1 %)", () => {
      const s = make.wfq({ conversations: 64, holdQueueLimit: 4096 });
      const flows = [
        { key: 1, precedence: 0, length: (i: number) => 1500 - (i % 7) * 100 },
        { key: 2, precedence: 0, length: () => 64 },
        { key: 3, precedence: 5, length: (i: number) => 200 + (i % 13) * 50 },
        { key: 4, precedence: 7, length: () => 1000 },
      ];
      const r = serve(s, 2000, 60_000_000, flows);
      const inv = flows.map((f) => 1 / wfqWeight(f.precedence));
      const sumInv = inv.reduce((a, b) => a + b, 0);
      const total = flows.reduce((a, f) => a + r.bytes.get(f.key)!, 0);
      flows.forEach((f, i) => {
        const share = r.bytes.get(f.key)! / total;
        expect(Math.abs(share - inv[i]! / sumInv)).toBeLessThan(0.01 * (inv[i]! / sumInv));
      });
    });
    test("small packets of an equal-weight flow are not stuck behind large ones", () => {
      const s = make.wfq();
      const big = nextId;
      offer(s, 1, 1500);
      offer(s, 1, 1500);
      const small = [nextId, nextId + 1, nextId + 2];
      for (let i = 0; i < 3; i++) offer(s, 2, 100);
      const order = drain(s);
      expect(order[0]).toBe(small[0]!);
      expect(order.indexOf(big)).toBe(3);
    });
    test("equal finish tags leave in arrival order", () => {
      // 800 B at precedence 7, 100 B at 0, 400 B at 3 and 200 B at 1 all add 3,238,400 to a conversation's tag
      const pairs: [number, number][] = [
        [800, 7],
        [100, 0],
        [400, 3],
        [200, 1],
      ];
      const s = make.wfq();
      const sent: number[] = [];
      for (const order of [
        [0, 1, 2, 3],
        [3, 2, 1, 0],
        [1, 3, 0, 2],
      ]) {
        for (const conv of order) {
          sent.push(nextId);
          offer(s, 10 + conv, pairs[conv]![0], pairs[conv]![1]);
        }
      }
      expect(drain(s)).toEqual(sent);
    });
    test("congestive discard at the CDT (IOS default 64) per conversation", () => {
      const s = make.wfq();
      const v = Array.from({ length: 70 }, () => offer(s, 7, 100));
      expect(v.filter((x) => x === Verdict.congestiveDiscard).length).toBe(6);
      expect(offer(s, 8, 100)).toBe(Verdict.queued);
    });
    test("hold-queue limit tail-drops across conversations", () => {
      const s = make.wfq({ holdQueueLimit: 100 });
      let drops = 0;
      for (let i = 0; i < 160; i++) if (offer(s, i % 16, 100) === Verdict.tailDrop) drops++;
      expect(drops).toBe(60);
      expect(s.packets).toBe(100);
      expect(drain(s).length).toBe(100);
      expect(s.bytes).toBe(0);
    });
  });

  describe(`CBWFQ/LLQ: ${name}`, () => {
    const policy: CbwfqConfig = {
      interfaceKbps: 1000,
      classes: [
        { name: "VOICE", priorityKbps: 100, burstBytes: 2500 },
        { name: "DATA", bandwidthKbps: 500 },
        { name: "BULK", bandwidthPercent: 10 },
        { name: "class-default", fairQueue: {} },
      ],
    };
    test("LLQ is never starved and is policed to its rate under congestion", () => {
      const s = make.cbwfq(policy);
      const duration = 30_000_000;
      const r = serve(
        s,
        1000,
        duration,
        [
          { key: 1, length: () => 1500 },
          { key: 2, length: () => 700 },
          { key: 3, flow: 5, length: () => 300 },
        ],
        [{ key: 0, everyUs: 8000, length: 200 }], // 200 kbps offered to a 100 kbps LLQ
      );
      // never starved: no other class is ever sent while a voice packet waits
      expect(r.overtaken.get(0) ?? 0).toBe(0);
      expect(r.overtaken.get(1) ?? 0).toBeGreaterThan(0);
      const voiceKbps = (r.accepted.get(0)! * 8) / (duration / 1000);
      expect(voiceKbps).toBeGreaterThan(99);
      expect(voiceKbps).toBeLessThan(102);
      // the rest share what the LLQ leaves in proportion to bandwidth: 500 : 100 : 300
      const rest = [1, 2, 3].map((k) => r.bytes.get(k)!);
      const sum = rest.reduce((a, b) => a + b, 0);
      [500, 100, 300].forEach((bw, i) => expect(Math.abs(rest[i]! / sum - bw / 900)).toBeLessThan(0.01 * (bw / 900)));
    });
    test("LLQ is not policed while the interface is idle", () => {
      const s = make.cbwfq(policy);
      for (let i = 0; i < 20; i++) {
        expect(offer(s, 0, 1500, 0, i * 10)).toBe(Verdict.queued);
        expect(drain(s).length).toBe(1);
      }
    });
    test("priority first; queue-limit tail drop; fair-queue conversations", () => {
      const s = make.cbwfq({
        ...policy,
        classes: policy.classes.map((c) => (c.name === "DATA" ? { ...c, queueLimit: 3 } : c)),
      });
      const v = [1, 1, 1, 1].map((k) => offer(s, k, 100));
      expect(v).toEqual([0, 0, 0, Verdict.tailDrop]);
      const voice = nextId;
      offer(s, 0, 200, 0, 1);
      expect(drain(s)[0]).toBe(voice);
      const fq = Array.from({ length: 20 }, () => offer(s, 3, 100, 0, 2, 9));
      expect(fq.filter((x) => x === Verdict.congestiveDiscard).length).toBe(4); // fair-queue per-flow limit 16
      expect(offer(s, 42, 100, 0, 2, 10)).toBe(Verdict.queued); // unknown class -> class-default
    });
  });
}
