// Differential tests of the Wasm WFQ engine (a radix heap of packets over u64
// finish tags) against the TypeScript binary heap: ties between conversations
// (precedence/length pairs with the same weight x length, which the radix heap
// orders by bucket FIFO position instead of a sequence number), tags far past
// 2^32, idle periods that freeze the virtual time, many conversations with
// benchmark-like traffic, clear() in mid-run, and the CBWFQ fair-queue class
// whose head length the engine reads without removing it.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  type CbwfqConfig,
  DescriptorBatch,
  type PacketScheduler,
  TsCbwfq,
  TsWfq,
  WasmCbwfq,
  WasmWfq,
  type WfqConfig,
  wfqWeight,
} from "../../../src/fastpath/sched/index.ts";
import { ensureWasmBuilt } from "../fib/wasm-build.ts";

ensureWasmBuilt();

/** Length x precedence pairs with one finish-tag increment: 100 x 32384 = 200 x 16192 = 400 x 8096 = 800 x 4048. */
const EQUAL_STEPS = [
  { length: 100, precedence: 0 },
  { length: 200, precedence: 1 },
  { length: 400, precedence: 3 },
  { length: 800, precedence: 7 },
];

interface Arrival {
  key: number;
  length: number;
  precedence: number;
  flow?: number;
}

/** Runs the same steps on a reference and a Wasm scheduler and expects the same verdicts, transmit order and totals. */
function agree(
  ref: PacketScheduler,
  wasm: PacketScheduler,
  steps: { arrivals: Arrival[]; dequeues: number; gapUs?: number }[],
): number {
  let id = 0;
  let now = 0;
  let sent = 0;
  const outA = new Uint32Array(4096);
  const outB = new Uint32Array(4096);
  const lenA = new Uint32Array(4096);
  const lenB = new Uint32Array(4096);
  for (const s of steps) {
    now += s.gapUs ?? 0;
    const a = new DescriptorBatch(s.arrivals.length);
    const b = new DescriptorBatch(s.arrivals.length);
    s.arrivals.forEach((p, i) => {
      a.set(i, ++id, p.length, p.key, p.precedence, p.flow ?? 0);
      b.set(i, id, p.length, p.key, p.precedence, p.flow ?? 0);
    });
    expect(wasm.enqueue(b, s.arrivals.length, now)).toBe(ref.enqueue(a, s.arrivals.length, now));
    expect(Array.from(b.verdict)).toEqual(Array.from(a.verdict));
    const na = ref.dequeue(outA, s.dequeues, lenA);
    const nb = wasm.dequeue(outB, s.dequeues, lenB);
    expect(Array.from(outB.subarray(0, nb))).toEqual(Array.from(outA.subarray(0, na)));
    expect(Array.from(lenB.subarray(0, nb))).toEqual(Array.from(lenA.subarray(0, na)));
    expect(wasm.packets).toBe(ref.packets);
    expect(wasm.bytes).toBe(ref.bytes);
    sent += na;
  }
  return sent;
}

/** xorshift32 stream, as the scheduler benchmark uses. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

describe("Wasm WFQ engine agrees with the reference heap", () => {
  test("the equal-increment pairs really tie", () => {
    const steps = EQUAL_STEPS.map((s) => s.length * wfqWeight(s.precedence));
    expect(new Set(steps).size).toBe(1);
  });

  test("ties between conversations leave in arrival order (random interleavings)", () => {
    const config: WfqConfig = { conversations: 12, cdt: 10, holdQueueLimit: 80 };
    const arrival = fc
      .record({ key: fc.nat(11), kind: fc.nat(3) })
      .map(({ key, kind }) => ({ key, ...EQUAL_STEPS[kind]! }));
    const step = fc.record({ arrivals: fc.array(arrival, { maxLength: 24 }), dequeues: fc.nat(20) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        agree(new TsWfq(config), new WasmWfq(config), steps);
      }),
      { numRuns: 200 },
    );
  });

  test("tags far past 2^32 (lengths up to 2^20) keep the same order", () => {
    const config: WfqConfig = { conversations: 16, cdt: 8, holdQueueLimit: 64 };
    const arrival = fc.record({ key: fc.nat(40), length: fc.integer({ min: 1, max: 1 << 20 }), precedence: fc.nat(7) });
    const step = fc.record({ arrivals: fc.array(arrival, { maxLength: 20 }), dequeues: fc.nat(24) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60 }), (steps) => {
        agree(new TsWfq(config), new WasmWfq(config), steps);
      }),
      { numRuns: 100 },
    );
  });

  test("zero-length packets (tag equal to the virtual time) keep the same order", () => {
    const config: WfqConfig = { conversations: 4, cdt: 6, holdQueueLimit: 20 };
    const arrival = fc.record({ key: fc.nat(5), length: fc.constantFrom(0, 0, 1, 64, 1500), precedence: fc.nat(7) });
    const step = fc.record({ arrivals: fc.array(arrival, { maxLength: 10 }), dequeues: fc.nat(10) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        agree(new TsWfq(config), new WasmWfq(config), steps);
      }),
      { numRuns: 150 },
    );
  });

  for (const flows of [1_000, 10_000]) {
    test(`${flows} conversations, benchmark-like traffic with bursts and drained idle periods`, () => {
      const config: WfqConfig = { conversations: flows, cdt: 64, holdQueueLimit: 4 * flows };
      const next = xorshift(flows);
      const steps: { arrivals: Arrival[]; dequeues: number }[] = [];
      for (let round = 0; round < 1_500; round++) {
        const burst = round % 200 < 20 ? 256 : 32; // backlog builds up, then drains
        const arrivals: Arrival[] = [];
        for (let i = 0; i < burst; i++) {
          const x = next();
          arrivals.push({ key: x % flows, length: 64 + (x & 1023), precedence: (x >>> 12) & 7 });
        }
        const dequeues = round % 200 === 199 ? 4096 : 40; // 40 > 32: the queue drains, then idles
        steps.push({ arrivals, dequeues });
      }
      expect(agree(new TsWfq(config), new WasmWfq(config), steps)).toBeGreaterThan(50_000);
    });
  }

  test("clear() in mid-run starts both over alike", () => {
    const config: WfqConfig = { conversations: 64, cdt: 16, holdQueueLimit: 512 };
    const ref = new TsWfq(config);
    const wasm = new WasmWfq(config);
    const next = xorshift(7);
    const steps = (n: number) =>
      Array.from({ length: n }, () => ({
        arrivals: Array.from({ length: 16 }, () => {
          const x = next();
          return { key: x % 64, length: 64 + (x & 1023), precedence: (x >>> 12) & 7 };
        }),
        dequeues: 12,
      }));
    agree(ref, wasm, steps(50));
    expect(wasm.packets).toBeGreaterThan(0);
    ref.clear();
    wasm.clear();
    expect(wasm.packets).toBe(0);
    expect(wasm.bytes).toBe(0);
    agree(ref, wasm, steps(50));
  });

  test("CBWFQ fair-queue class with tied conversations", () => {
    const policy: CbwfqConfig = {
      interfaceKbps: 1000,
      classes: [
        { name: "VOICE", priorityKbps: 100 },
        { name: "DATA", bandwidthKbps: 300, queueLimit: 30 },
        { name: "class-default", fairQueue: { conversations: 6, cdt: 8 }, queueLimit: 40 },
      ],
    };
    const arrival = fc
      .record({ key: fc.constantFrom(0, 1, 2, 2, 2, 2), flow: fc.nat(9), kind: fc.nat(3) })
      .map(({ key, flow, kind }) => ({ key, flow, ...EQUAL_STEPS[kind]! }));
    const step = fc.record({
      arrivals: fc.array(arrival, { maxLength: 20 }),
      dequeues: fc.nat(16),
      gapUs: fc.nat(5_000),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        agree(new TsCbwfq(policy), new WasmCbwfq(policy), steps);
      }),
      { numRuns: 150 },
    );
  });
});
