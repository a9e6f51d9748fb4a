import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  emitTcp,
  parseTcp,
  TCP_ACK,
  TCP_SYN,
  type TcpSegment,
  tcpBufferLen,
  tcpDstPort,
  tcpFlags,
  tcpSrcPort,
} from "../../src/wire/tcp.ts";
import { pseudo, tcpSegment } from "./arbitraries.ts";
import { hex, TCP_SYN_OPTIONS } from "./fixtures.ts";

const lo = { src: 0x7f000001, dst: 0x7f000001 };
const syn = TCP_SYN_OPTIONS.subarray(34);

const linuxSyn: TcpSegment = {
  srcPort: 0xb6f0,
  dstPort: 4321,
  seq: 0x256db562,
  ack: 0,
  flags: TCP_SYN,
  window: 65495,
  urgent: 0,
  options: [
    { kind: "mss", mss: 65495 },
    { kind: "sackPermitted" },
    { kind: "timestamps", tsVal: 0xc303fd1c, tsEcr: 0 },
    { kind: "nop" },
    { kind: "windowScale", shift: 10 },
  ],
  payload: new Uint8Array(0),
};

describe("tcp", () => {
  test("deconstructs a captured Linux SYN with options", () => {
    expect(parseTcp(syn)).toEqual({ ok: true, value: linuxSyn });
    expect([tcpSrcPort(syn), tcpDstPort(syn), tcpFlags(syn)]).toEqual([0xb6f0, 4321, TCP_SYN]);
  });

  test("constructs the captured header (the capture holds an offloaded partial checksum)", () => {
    const b = emitTcp(linuxSyn, lo);
    expect(b.subarray(0, 16)).toEqual(syn.slice(0, 16));
    expect(b.subarray(18)).toEqual(syn.slice(18));
    expect(parseTcp(b, lo).ok).toBe(true);
    expect(parseTcp(syn, lo)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
  });

  test("SACK blocks, EOL padding and unknown kinds are preserved", () => {
    const seg: TcpSegment = {
      ...linuxSyn,
      flags: TCP_ACK,
      options: [
        { kind: "nop" },
        { kind: "nop" },
        {
          kind: "sack",
          blocks: [
            [1000, 2000],
            [3000, 4000],
          ],
        },
        { kind: "unknown", type: 30, data: hex("0102") }, // MPTCP kind, carried opaquely
        { kind: "eol" },
      ],
      payload: hex("deadbeef"),
    };
    expect(parseTcp(emitTcp(seg, lo), lo)).toEqual({ ok: true, value: seg });
  });

  test("truncated and bad length", () => {
    expect(parseTcp(syn.subarray(0, 19))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseTcp(syn.subarray(0, 30))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    const off = syn.slice();
    off[12] = 0x40;
    expect(parseTcp(off)).toMatchObject({ ok: false, error: { reason: "badLength" } });
    const zeroLenOption = syn.slice();
    zeroLenOption[21] = 0; // MSS length 0 would loop forever if accepted
    expect(parseTcp(zeroLenOption)).toMatchObject({ ok: false, error: { reason: "badLength" } });
    const wrongMss = syn.slice();
    wrongMss[21] = 3;
    expect(parseTcp(wrongMss)).toMatchObject({ ok: false, error: { reason: "badLength" } });
  });

  test("emit refuses more than 40 option bytes", () => {
    const many = Array.from({ length: 5 }, () => ({ kind: "timestamps" as const, tsVal: 1, tsEcr: 2 }));
    expect(() => emitTcp({ ...linuxSyn, options: many }, lo)).toThrow(RangeError);
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(tcpSegment, pseudo, (s, ph) => {
        const b = emitTcp(s, ph);
        expect(b.length).toBe(tcpBufferLen(s));
        expect(parseTcp(b, ph)).toEqual({ ok: true, value: s });
      }),
    );
  });
});
