import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { TcpCloseReason, TcpConnection } from "../../../src/dataplane/tcp/tcp-connection.ts";
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from "../../../src/wire/tcp.ts";
import { tcpPair } from "./tcp-pair.ts";

function pattern(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8)) & 0xff;
  return b;
}

/** a sends `bytes` to b and closes; b closes when it sees a's FIN. Returns what b received and how each side ended. */
function transfer(p: ReturnType<typeof tcpPair>, bytes: Uint8Array) {
  const got: number[] = [];
  const ends: { a?: TcpCloseReason; b?: TcpCloseReason } = {};
  p.onAccept = (b: TcpConnection) => {
    b.app = {
      data: (d) => got.push(...d),
      peerClosed: () => b.close(),
      closed: (r) => void (ends.b = r),
    };
  };
  p.a.app = {
    established: () => {
      p.a.write(bytes);
      p.a.close();
    },
    closed: (r) => void (ends.a = r),
  };
  p.a.open();
  return { got, ends };
}

describe("TCP connection (RFC 9293 states)", () => {
  test("handshake with MSS options, data within the peer's MSS, FIN close through TIME-WAIT", () => {
    const p = tcpPair({ mssA: 1460, mssB: 1360 });
    const data = pattern(100_000);
    const { got, ends } = transfer(p, data);
    p.clock.run(50e6);
    // SYN carries a's MSS, SYN-ACK b's, the ACK none; then data.
    const [syn, synAck, ack] = p.wire;
    expect(syn!.seg.flags).toBe(TCP_SYN);
    expect(syn!.seg.options).toEqual([{ kind: "mss", mss: 1460 }]);
    expect(synAck!.seg.flags).toBe(TCP_SYN | TCP_ACK);
    expect(synAck!.seg.options).toEqual([{ kind: "mss", mss: 1360 }]);
    expect(synAck!.seg.ack).toBe((syn!.seg.seq + 1) >>> 0);
    expect(ack!.seg.flags & (TCP_SYN | TCP_ACK)).toBe(TCP_ACK);
    p.clock.run(30e9);
    expect(Uint8Array.from(got)).toEqual(data);
    const dataSegs = p.wire.filter((w) => w.from === "a" && w.seg.payload.length > 0);
    expect(Math.max(...dataSegs.map((w) => w.seg.payload.length))).toBe(1360);
    expect(dataSegs.length).toBe(Math.ceil(100_000 / 1360));
    // The active closer waits in TIME-WAIT; the other side is CLOSED after LAST-ACK.
    expect(p.a.state).toBe("TIME-WAIT");
    expect(p.b!.state).toBe("CLOSED");
    expect(ends.b).toBe("closed");
    p.clock.run();
    expect(p.a.state).toBe("CLOSED");
    expect(ends.a).toBe("closed");
    // Sequence numbers wrap: a's ISS sits 256 below 2^32.
    expect(dataSegs.some((w) => w.seg.seq < 0x1000_0000)).toBe(true);
    expect(p.a.stats.retransmits).toBe(0);
  });

  test("the states on the way: SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT, LAST-ACK", () => {
    const p = tcpPair({ delayNs: 10e6 });
    const seen = { a: [] as string[], b: [] as string[] };
    let b: TcpConnection | null = null;
    p.onAccept = (c: TcpConnection) => {
      b = c;
      c.app = { peerClosed: () => p.clock.after(50e6, () => c.close()) };
    };
    p.a.app = { established: () => void p.clock.after(20e6, () => p.a.close()) };
    p.a.open();
    expect(p.a.state).toBe("SYN-SENT");
    for (let t = 1e6; t < 200e6; t += 1e6) {
      p.clock.run(t);
      if (seen.a.at(-1) !== p.a.state) seen.a.push(p.a.state);
      const bs = (b as TcpConnection | null)?.state;
      if (bs !== undefined && seen.b.at(-1) !== bs) seen.b.push(bs);
    }
    expect(seen.a).toEqual(["SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"]);
    expect(seen.b).toEqual(["SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"]);
  });

  test("a RST answering the SYN is a refused connection", () => {
    const p = tcpPair();
    let reason: TcpCloseReason | undefined;
    p.a.app = { closed: (r) => void (reason = r) };
    p.a.open();
    const syn = p.wire[0]!.seg;
    p.a.segment(rst(syn, TCP_RST | TCP_ACK, 0, syn.seq + 1));
    expect(reason).toBe("refused");
    expect(p.a.state).toBe("CLOSED");
    expect(p.released.a).toBe(true);
  });

  test("an unanswered SYN is sent 7 times (1, 2, 4 ... 64 s apart) then the connect times out", () => {
    const p = tcpPair({ drop: () => true });
    let reason: TcpCloseReason | undefined;
    let at = 0;
    p.a.app = {
      closed: (r) => {
        reason = r;
        at = p.clock.now;
      },
    };
    p.a.open();
    p.clock.run();
    expect(p.wire.filter((w) => w.seg.flags === TCP_SYN).length).toBe(7);
    expect(reason).toBe("timedOut");
    expect(at).toBe(127e9);
  });

  test("a RST outside the window is ignored; one in the window resets the connection", () => {
    const p = tcpPair();
    let reason: TcpCloseReason | undefined;
    p.a.app = { closed: (r) => void (reason = r) };
    p.a.open();
    p.clock.run(10e6);
    expect(p.a.state).toBe("ESTABLISHED");
    const last = p.wire.filter((w) => w.from === "b").at(-1)!.seg;
    p.a.segment(rst(last, TCP_RST, last.seq + 100_000, 0));
    expect(p.a.state).toBe("ESTABLISHED");
    p.a.segment(rst(last, TCP_RST, last.seq + 1, 0));
    expect(p.a.state).toBe("CLOSED");
    expect(reason).toBe("reset");
  });

  for (const seed of [1, 2, 3, 4, 5])
    test(`loss and reordering (seed ${seed}): every byte arrives once and in order, both sides close`, () => {
      const p = tcpPair({ loss: 0.08, reorder: 0.2, seed, mssB: 1000 });
      const data = pattern(60_000);
      const { got, ends } = transfer(p, data);
      p.clock.run(600e9);
      expect(got.length).toBe(data.length);
      expect(Uint8Array.from(got)).toEqual(data);
      expect(ends.b).toBe("closed");
      expect(p.a.state === "CLOSED" || p.a.state === "TIME-WAIT").toBe(true);
      expect(p.a.stats.retransmits).toBeGreaterThan(0);
      for (const w of p.wire) expect(w.seg.payload.length).toBeLessThanOrEqual(1000);
    });

  test("a lost segment is recovered by fast retransmit after three duplicate ACKs, before the RTO", () => {
    let dropped = false;
    const p = tcpPair({
      drop: (s, from) => {
        if (from !== "a" || dropped || s.payload.length === 0) return false;
        dropped = true; // the first data segment
        return true;
      },
    });
    const data = pattern(30_000);
    const { got } = transfer(p, data);
    p.clock.run(100e6); // well under the 1 s initial RTO
    expect(Uint8Array.from(got)).toEqual(data);
    const dupAcks = p.wire.filter((w) => w.from === "b" && w.seg.flags === TCP_ACK && w.seg.payload.length === 0);
    const acks = dupAcks.map((w) => w.seg.ack);
    expect(acks.filter((x) => x === acks[0]).length).toBeGreaterThanOrEqual(3);
  });

  test("random segments thrown at an established connection never throw and never deliver data out of sequence", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            seq: fc.integer({ min: 0, max: 0xffffffff }),
            ack: fc.integer({ min: 0, max: 0xffffffff }),
            flags: fc.integer({ min: 0, max: 0x1ff }),
            window: fc.integer({ min: 0, max: 0xffff }),
            len: fc.integer({ min: 0, max: 2000 }),
          }),
          { maxLength: 30 },
        ),
        (segs) => {
          const p = tcpPair();
          const got: number[] = [];
          p.onAccept = (b: TcpConnection) => void (b.app = { data: (d) => got.push(...d) });
          p.a.open();
          p.clock.run(10e6);
          const b = p.b!;
          const before = got.length;
          for (const s of segs)
            b.segment({
              srcPort: 40000,
              dstPort: 9,
              seq: s.seq,
              ack: s.ack,
              flags: s.flags,
              window: s.window,
              urgent: 0,
              options: [],
              payload: new Uint8Array(s.len),
            });
          p.clock.run(p.clock.now + 5e9);
          // Whatever a random segment did, b delivered only bytes whose sequence followed what it had.
          expect(got.length - before).toBeLessThanOrEqual(segs.reduce((n, s) => n + s.len, 0));
        },
      ),
      { numRuns: 200 },
    );
  });

  test("a retransmitted FIN in TIME-WAIT is acknowledged again", () => {
    const p = tcpPair();
    transfer(p, pattern(10));
    p.clock.run(1e9);
    expect(p.a.state).toBe("TIME-WAIT");
    const fin = p.wire.filter((w) => w.from === "b" && w.seg.flags & TCP_FIN).at(-1)!.seg;
    const before = p.wire.length;
    p.a.segment(fin);
    const answer = p.wire.slice(before);
    expect(answer.map((w) => w.seg.flags)).toEqual([TCP_ACK]);
    expect(answer[0]!.seg.ack).toBe((fin.seq + 1) >>> 0);
  });
});

function rst(like: TcpSegment, flags: number, seq: number, ack: number): TcpSegment {
  return { ...like, srcPort: like.dstPort, dstPort: like.srcPort, seq: seq >>> 0, ack: ack >>> 0, flags, options: [] };
}
