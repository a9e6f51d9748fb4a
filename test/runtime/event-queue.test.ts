import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { compareKeys, type EventKey, EventQueue } from "../../src/runtime/event-queue.ts";

describe("event queue", () => {
  test("pops in (time, sender, seq, receiver) order whatever the push order", () => {
    const key = fc.record({
      atNs: fc.integer({ min: 0, max: 50 }),
      senderId: fc.integer({ min: -1, max: 5 }),
      seq: fc.integer({ min: 0, max: 20 }),
      receiverId: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), (keys: EventKey[]) => {
        const q = new EventQueue<EventKey>();
        for (const k of keys) q.push(k);
        const out: EventKey[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
        expect(out).toEqual([...keys].sort(compareKeys));
      }),
    );
  });
  test("ties on time break by sender id, then sequence, then receiver", () => {
    const q = new EventQueue<EventKey>();
    q.push({ atNs: 5, senderId: 2, seq: 0, receiverId: 0 });
    q.push({ atNs: 5, senderId: 1, seq: 9, receiverId: 3 });
    q.push({ atNs: 5, senderId: 1, seq: 9, receiverId: 1 });
    q.push({ atNs: 4, senderId: 7, seq: 0, receiverId: 0 });
    expect(
      [q.pop(), q.pop(), q.pop(), q.pop()].map((e) => `${e!.atNs}/${e!.senderId}/${e!.seq}/${e!.receiverId}`),
    ).toEqual(["4/7/0/0", "5/1/9/1", "5/1/9/3", "5/2/0/0"]);
  });
});
