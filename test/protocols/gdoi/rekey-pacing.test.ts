// A unicast rekey goes out a batch of members at a time: 45 members are sent
// 20, 20 and 5, a millisecond apart on the device clock; a newer rekey
// cancels what is left.

import { expect, test } from "bun:test";
import {
  REKEY_BATCH_INTERVAL_NS,
  REKEY_BATCH_MEMBERS,
  sendInBatches,
} from "../../../src/protocols/gdoi/rekey-pacing.ts";

/** A device clock: timers run in order when the test advances it. */
function clock() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => now,
    after: (delay: number, _name: string, fn: () => void) => {
      const t = { at: now + delay, fn, live: true };
      timers.push(t);
      return { cancel: () => (t.live = false) };
    },
    advance(ns: number) {
      const end = now + ns;
      for (;;) {
        const t = timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (t === undefined) break;
        t.live = false;
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

test("members in batches a millisecond apart; cancel stops the rest", () => {
  expect(REKEY_BATCH_MEMBERS).toBe(20);
  const c = clock();
  const sent: Array<[number, number]> = [];
  sendInBatches(
    Array.from({ length: 45 }, (_, i) => i),
    c.after,
    (m) => sent.push([m, c.now()]),
  );
  expect(sent.length).toBe(20);
  c.advance(10 * REKEY_BATCH_INTERVAL_NS);
  expect(sent.map(([m]) => m)).toEqual(Array.from({ length: 45 }, (_, i) => i));
  expect(sent[19]![1]).toBe(0);
  expect(sent[20]![1]).toBe(REKEY_BATCH_INTERVAL_NS);
  expect(sent[44]![1]).toBe(2 * REKEY_BATCH_INTERVAL_NS);

  const again: number[] = [];
  const batches = sendInBatches(
    Array.from({ length: 45 }, (_, i) => i),
    c.after,
    (m) => again.push(m),
  );
  batches.cancel();
  c.advance(10 * REKEY_BATCH_INTERVAL_NS);
  expect(again.length).toBe(20);
});
