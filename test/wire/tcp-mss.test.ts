// ip tcp adjust-mss's rewrite: a SYN's MSS above the limit is lowered in place
// and the TCP checksum still verifies (RFC 1624 update on an aligned word, a
// full sum when NOPs put the value across two words); anything else (no SYN,
// MSS already low, no MSS option, a later fragment, not TCP) is untouched;
// random segments never throw and always keep a valid checksum.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  emitIpv4,
  emitTcp,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  parseTcp,
  TCP_ACK,
  TCP_SYN,
  type TcpOption,
  type TcpSegment,
} from "../../src/wire/index.ts";
import { clampTcpMss } from "../../src/wire/tcp-mss.ts";
import { bytes, tcpSegment } from "./arbitraries.ts";

const SRC = 0x0a000001;
const DST = 0x0a000102;
const pseudo = { src: SRC, dst: DST };

function datagram(s: TcpSegment, fragmentOffset = 0, protocol = IP_PROTO_TCP): Uint8Array {
  return emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: 1,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset,
    ttl: 64,
    protocol,
    src: SRC,
    dst: DST,
    options: new Uint8Array(0),
    payload: emitTcp(s, pseudo),
  });
}

const syn = (options: TcpOption[], flags = TCP_SYN): TcpSegment => ({
  srcPort: 40000,
  dstPort: 23,
  seq: 1,
  ack: 0,
  flags,
  window: 65535,
  urgent: 0,
  options,
  payload: new Uint8Array(0),
});

function mssOf(d: Uint8Array): number | undefined {
  const t = parseTcp(d.subarray(20), pseudo);
  if (!t.ok) throw new Error(`checksum or format: ${t.error.detail}`);
  const o = t.value.options.find((x) => x.kind === "mss");
  return o?.kind === "mss" ? o.mss : undefined;
}

describe("tcp adjust-mss rewrite", () => {
  test("a SYN's MSS 1460 becomes 1360 and the checksum verifies", () => {
    const d = datagram(syn([{ kind: "mss", mss: 1460 }]));
    expect(clampTcpMss(d, 1360)).toBe(1460);
    expect(mssOf(d)).toBe(1360);
  });

  test("a SYN-ACK too, and after an odd number of NOPs (value across two words)", () => {
    const d = datagram(syn([{ kind: "nop" }, { kind: "mss", mss: 1460 }, { kind: "eol" }], TCP_SYN | TCP_ACK));
    expect(clampTcpMss(d, 1360)).toBe(1460);
    expect(mssOf(d)).toBe(1360);
  });

  test("untouched: MSS already low, no SYN, no MSS, a later fragment, not TCP", () => {
    const cases = [
      datagram(syn([{ kind: "mss", mss: 1200 }])),
      datagram(syn([{ kind: "mss", mss: 1460 }], TCP_ACK)),
      datagram(syn([{ kind: "sackPermitted" }, { kind: "nop" }, { kind: "nop" }])),
      datagram(syn([{ kind: "mss", mss: 1460 }]), 1480),
      datagram(syn([{ kind: "mss", mss: 1460 }]), 0, IP_PROTO_UDP),
    ];
    for (const d of cases) {
      const before = d.slice();
      expect(clampTcpMss(d, 1360)).toBeNull();
      expect(d).toEqual(before);
    }
  });

  test("any segment: never throws, checksum stays valid, a SYN's MSS ends at min(MSS, limit) (property)", () => {
    fc.assert(
      fc.property(tcpSegment, fc.integer({ min: 500, max: 1460 }), (s, limit) => {
        const d = datagram(s);
        const before = mssOf(d);
        const replaced = clampTcpMss(d, limit);
        const after = mssOf(d);
        const isSyn = (s.flags & TCP_SYN) !== 0;
        if (isSyn && before !== undefined && before > limit) {
          expect(replaced).toBe(before);
          expect(after).toBe(limit);
        } else {
          expect(replaced).toBeNull();
          expect(after).toBe(before);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("random bytes never throw", () => {
    fc.assert(fc.property(bytes(80), fc.integer({ min: 0, max: 0xffff }), (b, limit) => void clampTcpMss(b, limit)));
  });
});
