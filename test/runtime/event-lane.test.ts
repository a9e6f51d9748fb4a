// Lanes in the event queue: events of a lane wait outside the heap, yet pops
// come out in key order whatever mix of lane and plain pushes and pops, even
// when a lane's event breaks its order (it is queued on its own).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { compareKeys, type EventKey, EventLane, EventQueue } from "../../src/runtime/event-queue.ts";

type Op = { kind: "plain"; atNs: number } | { kind: "lane"; lane: number; step: number } | { kind: "pop" };

describe("event lanes", () => {
  test("pops in key order for any interleaving of lane pushes, plain pushes and pops", () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("plain" as const), atNs: fc.integer({ min: 0, max: 300 }) }),
      // Mostly growing steps; a negative one breaks the lane's order.
      fc.record({
        kind: fc.constant("lane" as const),
        lane: fc.integer({ min: 0, max: 3 }),
        step: fc.integer({ min: -20, max: 30 }),
      }),
      fc.constant({ kind: "pop" as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue<EventKey>();
        const lanes = [0, 1, 2, 3].map(() => new EventLane<EventKey>());
        const laneTime = [0, 0, 0, 0];
        const pending: EventKey[] = [];
        let seq = 0;
        const popBoth = () => {
          pending.sort(compareKeys);
          const want = pending.shift();
          const got = q.pop();
          expect(got).toBe(want);
        };
        for (const o of ops) {
          if (o.kind === "pop") {
            popBoth();
            continue;
          }
          const e: EventKey =
            o.kind === "plain"
              ? { atNs: o.atNs, senderId: 9, seq: seq++, receiverId: 0 }
              : {
                  atNs: (laneTime[o.lane] = Math.max(0, laneTime[o.lane]! + o.step)),
                  senderId: o.lane,
                  seq: seq++,
                  receiverId: 1,
                };
          if (o.kind === "plain") q.push(e);
          else q.pushLane(lanes[o.lane]!, e);
          pending.push(e);
          expect(q.size).toBe(pending.length);
        }
        while (pending.length > 0) popBoth();
        expect(q.pop()).toBeUndefined();
        expect(q.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  test("a busy lane keeps one entry in the heap", () => {
    const q = new EventQueue<EventKey>();
    const lane = new EventLane<EventKey>();
    for (let i = 0; i < 100; i++) q.pushLane(lane, { atNs: 10 * i, senderId: 1, seq: i, receiverId: 2 });
    q.push({ atNs: 55, senderId: 0, seq: 0, receiverId: 0 });
    expect(q.size).toBe(101);
    expect(lane.waiting.length - lane.head).toBe(99);
    const order = Array.from({ length: 101 }, () => q.pop()!.atNs);
    expect(order.slice(0, 8)).toEqual([0, 10, 20, 30, 40, 50, 55, 60]);
    expect(q.peek()).toBeUndefined();
  });

  test("a lane that never drains does not keep what it handed out", () => {
    const q = new EventQueue<EventKey>();
    const lane = new EventLane<EventKey>();
    let pushed = 0;
    let popped = 0;
    for (let round = 0; round < 10_000; round++) {
      // Always a few events ahead, as on a link with frames in flight.
      while (pushed < popped + 5) q.pushLane(lane, { atNs: pushed, senderId: 1, seq: pushed++, receiverId: 2 });
      expect(q.pop()!.atNs).toBe(popped++);
    }
    expect(lane.waiting.length).toBeLessThan(600);
  });
});
