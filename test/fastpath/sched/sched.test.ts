// Runs the shared scheduler cases on the TypeScript references and the Wasm
// schedulers, then checks both agree packet for packet on random traffic.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  type CbwfqConfig,
  DescriptorBatch,
  type PacketScheduler,
  TsCbwfq,
  TsCq,
  TsPq,
  TsWfq,
  WasmCbwfq,
  WasmCq,
  WasmPq,
  WasmWfq,
} from "../../../src/fastpath/sched/index.ts";
import { ensureWasmBuilt } from "../fib/wasm-build.ts";
import { registerSchedulerCases } from "./sched-cases.ts";

ensureWasmBuilt();

registerSchedulerCases("TypeScript reference", {
  pq: (c) => new TsPq(c),
  cq: (c) => new TsCq(c),
  wfq: (c) => new TsWfq(c),
  cbwfq: (c) => new TsCbwfq(c),
});
registerSchedulerCases("Wasm", {
  pq: (c) => new WasmPq(c),
  cq: (c) => new WasmCq(c),
  wfq: (c) => new WasmWfq(c),
  cbwfq: (c) => new WasmCbwfq(c),
});

const policy: CbwfqConfig = {
  interfaceKbps: 2048,
  classes: [
    { name: "VOICE", priorityKbps: 256 },
    { name: "VIDEO", priorityKbps: 128, burstBytes: 1600 },
    { name: "DATA", bandwidthPercent: 30, queueLimit: 20 },
    { name: "class-default", fairQueue: { conversations: 8, cdt: 5 }, queueLimit: 30 },
  ],
};

describe("Wasm and TypeScript schedulers agree on random traffic", () => {
  const pairs: [string, () => [PacketScheduler, PacketScheduler]][] = [
    ["PQ", () => [new TsPq(), new WasmPq()]],
    [
      "CQ",
      () => [
        new TsCq({ byteCounts: [1500, 3000, 700], limits: Array(16).fill(12) }),
        new WasmCq({ byteCounts: [1500, 3000, 700], limits: Array(16).fill(12) }),
      ],
    ],
    [
      "WFQ",
      () => [
        new TsWfq({ conversations: 16, cdt: 6, holdQueueLimit: 60 }),
        new WasmWfq({ conversations: 16, cdt: 6, holdQueueLimit: 60 }),
      ],
    ],
    ["CBWFQ", () => [new TsCbwfq(policy), new WasmCbwfq(policy)]],
  ];
  const step = fc.record({
    arrivals: fc.array(
      fc.record({
        length: fc.integer({ min: 40, max: 1500 }),
        key: fc.nat(20),
        precedence: fc.nat(7),
        flow: fc.nat(40),
      }),
      { maxLength: 40 },
    ),
    dequeues: fc.nat(30),
    gapUs: fc.nat(20_000),
  });
  for (const [name, make] of pairs) {
    test(`${name}: same verdicts and transmit order`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
          const [a, b] = make();
          let now = 0;
          let id = 0;
          const outA = new Uint32Array(64);
          const outB = new Uint32Array(64);
          for (const s of steps) {
            now += s.gapUs;
            const batchA = new DescriptorBatch(s.arrivals.length);
            const batchB = new DescriptorBatch(s.arrivals.length);
            s.arrivals.forEach((p, i) => {
              batchA.set(i, ++id, p.length, p.key, p.precedence, p.flow);
              batchB.set(i, id, p.length, p.key, p.precedence, p.flow);
            });
            expect(b.enqueue(batchB, s.arrivals.length, now)).toBe(a.enqueue(batchA, s.arrivals.length, now));
            expect(Array.from(batchB.verdict)).toEqual(Array.from(batchA.verdict));
            const na = a.dequeue(outA, s.dequeues);
            const nb = b.dequeue(outB, s.dequeues);
            expect(Array.from(outB.subarray(0, nb))).toEqual(Array.from(outA.subarray(0, na)));
            expect(b.packets).toBe(a.packets);
            expect(b.bytes).toBe(a.bytes);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  test("zero-copy batch view enqueues like a copied batch", () => {
    const w = new WasmWfq();
    const io = w.batch();
    for (let i = 0; i < 10; i++) io.set(i, 100 + i, 500, i % 3, 0);
    expect(w.enqueue(io, 10, 0)).toBe(10);
    const out = new Uint32Array(10);
    const lens = new Uint32Array(10);
    expect(w.dequeue(out, 10, lens)).toBe(10);
    expect(new Set(out).size).toBe(10);
    expect(Array.from(lens)).toEqual(Array(10).fill(500));
  });
});
