// NHRP waiting for its peer's IPsec SA (IPsec over DMVPN: crypto before NHRP):
// held per map and peer, released in order when the SA comes, the oldest
// dropped beyond the limit, everything dropped when the SA never comes (and
// counted as the tunnel's output drops).

import { describe, expect, test } from "bun:test";
import { SA_WAIT_MAX_PACKETS, SA_WAIT_NS, SaWaitQueue } from "../../../src/dataplane/ipsec/sa-wait-queue.ts";
import type { RouterInterface } from "../../../src/dataplane/pipeline/router-interface.ts";

function queue() {
  const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  const q = new SaWaitQueue((delay, _name, fn) => {
    const t = { at: delay, fn, cancelled: false };
    timers.push(t);
    return { cancel: () => void (t.cancelled = true) } as never;
  });
  const fire = () => {
    for (const t of timers) if (!t.cancelled) t.fn();
  };
  return { q, timers, fire };
}

const tunnel = { name: "Tunnel0", counters: { outputDrops: 0 } } as RouterInterface;
const packet = (n: number) => ({ egress: tunnel, dgram: new Uint8Array([n]) });

describe("SA wait queue", () => {
  test("held per map and peer, released in order, only for that peer", () => {
    const { q, timers } = queue();
    q.hold("Tunnel0-head-0", 1, packet(1));
    q.hold("Tunnel0-head-0", 1, packet(2));
    q.hold("Tunnel0-head-0", 2, packet(3));
    expect(q.size()).toBe(3);
    expect(timers.map((t) => t.at)).toEqual([SA_WAIT_NS, SA_WAIT_NS]);
    expect(q.release("Tunnel0-head-0", 1).map((h) => h.dgram[0])).toEqual([1, 2]);
    expect(q.release("Tunnel0-head-0", 1)).toEqual([]);
    expect(q.release("Tunnel1-head-0", 2)).toEqual([]);
    expect(q.size()).toBe(1);
    expect(timers[0]!.cancelled).toBe(true);
  });

  test("beyond the limit the oldest goes; with no SA in time all are dropped", () => {
    const { q, fire } = queue();
    for (let i = 0; i < SA_WAIT_MAX_PACKETS + 2; i++) q.hold("M", 7, packet(i));
    expect(q.size()).toBe(SA_WAIT_MAX_PACKETS);
    expect(q.dropped).toBe(2);
    fire();
    expect(q.size()).toBe(0);
    expect(q.dropped).toBe(SA_WAIT_MAX_PACKETS + 2);
    expect(tunnel.counters.outputDrops).toBe(SA_WAIT_MAX_PACKETS + 2);
    expect(q.release("M", 7)).toEqual([]);
  });
});
