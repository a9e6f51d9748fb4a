// A binary min-heap of simulation events ordered by (time, sender id, sender
// sequence, receiver id). The key does not depend on which worker holds a
// device, so the same lab gives the same order whatever the worker count (ns-3's
// (time, uid) rule, extended so that one frame delivered to a whole Ethernet
// segment still has a total order).

import type { TimeNs } from "./device.ts";

/** Ordering key fields every event carries. */
export interface EventKey {
  atNs: TimeNs;
  /** Device that caused the event (-1 for the lab coordinator). */
  senderId: number;
  /** Per-sender counter at the moment the event was created. */
  seq: number;
  /** Device that handles the event. */
  receiverId: number;
}

/** True if a sorts strictly before b. */
export function keyBefore(a: EventKey, b: EventKey): boolean {
  if (a.atNs !== b.atNs) return a.atNs < b.atNs;
  if (a.senderId !== b.senderId) return a.senderId < b.senderId;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.receiverId < b.receiverId;
}

/** Comparison for Array.prototype.sort on event keys. */
export function compareKeys(a: EventKey, b: EventKey): number {
  return keyBefore(a, b) ? -1 : keyBefore(b, a) ? 1 : 0;
}

/** Min-heap of events by key. */
export class EventQueue<E extends EventKey> {
  private heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** Earliest event without removing it. */
  peek(): E | undefined {
    return this.heap[0];
  }

  push(e: E): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (!keyBefore(e, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = e;
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && keyBefore(h[r]!, h[l]!) ? r : l;
      if (!keyBefore(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
