// Two TCP connections joined by a simulated path for the state-machine tests:
// every segment goes through the real wire format (emitTcp, then parseTcp
// with the checksum verified), a one-way delay, and optionally seeded loss
// and reordering (a random extra delay), on a virtual clock.

import { TcpConnection, type TcpConnectionIo } from "../../../src/dataplane/tcp/tcp-connection.ts";
import { emitTcp, parseTcp, type TcpSegment } from "../../../src/wire/tcp.ts";

/** A deterministic PRNG (mulberry32) for loss and reordering. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PathOptions {
  delayNs?: number;
  loss?: number;
  /** Probability of an extra delay of up to 3 one-way delays (reordering). */
  reorder?: number;
  seed?: number;
  /** Drops every segment for which this is true (after the others). */
  drop?: (seg: TcpSegment, from: "a" | "b") => boolean;
}

/** A virtual clock with ordered events. */
export class Clock {
  now = 0;
  private seq = 0;
  private events: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];

  after(ns: number, fn: () => void): { cancel(): void } {
    const e = { at: this.now + ns, seq: this.seq++, fn, live: true };
    this.events.push(e);
    return { cancel: () => void (e.live = false) };
  }

  /** Runs events until none is left or `until` is reached. */
  run(until = Number.POSITIVE_INFINITY): void {
    for (;;) {
      this.events = this.events.filter((e) => e.live);
      if (this.events.length === 0) return;
      this.events.sort((x, y) => x.at - y.at || x.seq - y.seq);
      const e = this.events[0]!;
      if (e.at > until) {
        this.now = until;
        return;
      }
      this.events.shift();
      this.now = e.at;
      e.fn();
    }
  }
}

export const A_ADDR = 0x0a000001;
export const B_ADDR = 0x0a000002;

/** A connected pair: a opens actively to b, which was accepted on a listening port. */
export function tcpPair(opts: PathOptions & { mssA?: number; mssB?: number } = {}) {
  const clock = new Clock();
  const random = seeded(opts.seed ?? 1);
  const wire: Array<{ from: "a" | "b"; seg: TcpSegment; bytes: Uint8Array }> = [];
  const delay = opts.delayNs ?? 1e6;
  let b: TcpConnection | null = null;
  let bIss = 0x8000_0000;
  const released = { a: false, b: false };
  const io = (self: "a" | "b"): TcpConnectionIo => ({
    send: (seg) => {
      const [src, dst] = self === "a" ? [A_ADDR, B_ADDR] : [B_ADDR, A_ADDR];
      const bytes = emitTcp(seg, { src, dst });
      wire.push({ from: self, seg, bytes });
      if (opts.drop?.(seg, self)) return;
      if (opts.loss && random() < opts.loss) return;
      const extra = opts.reorder && random() < opts.reorder ? Math.floor(random() * 3 * delay) : 0;
      clock.after(delay + extra, () => {
        const parsed = parseTcp(bytes, { src, dst });
        if (!parsed.ok) throw new Error(`emitted segment does not parse: ${parsed.error.reason}`);
        if (self === "b") a.segment(parsed.value);
        else if (b !== null) b.segment(parsed.value);
        else if (parsed.value.flags === 2) {
          b = new TcpConnection(
            {
              localAddress: B_ADDR,
              localPort: 9,
              remoteAddress: A_ADDR,
              remotePort: 40000,
              iss: bIss,
              mss: opts.mssB ?? 1460,
            },
            io("b"),
          );
          onAccept(b);
          b.accept(parsed.value);
        }
      });
    },
    after: (ns, _name, fn) => clock.after(ns, fn),
    now: () => clock.now,
    released: () => void (released[self] = true),
  });
  let onAccept: (c: TcpConnection) => void = () => {};
  const a = new TcpConnection(
    {
      localAddress: A_ADDR,
      localPort: 40000,
      remoteAddress: B_ADDR,
      remotePort: 9,
      iss: 0xffff_ff00,
      mss: opts.mssA ?? 1460,
    },
    io("a"),
  );
  return {
    clock,
    wire,
    a,
    get b() {
      return b;
    },
    released,
    /** Called with b when a's SYN arrives (set before a.open()). */
    set onAccept(f: (c: TcpConnection) => void) {
      onAccept = f;
    },
    set bIss(v: number) {
      bIss = v;
    },
  };
}
