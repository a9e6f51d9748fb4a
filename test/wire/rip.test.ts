// RIPv2 messages (RFC 2453 section 4): a known layout byte for byte,
// parse(emit(m)) == m for random messages, random bytes never throw, IOS's
// refusals of bad lengths, commands and versions, the authentication entry
// only first, and Wireshark's `rip` dissector decoding our messages inside
// UDP/IPv4/Ethernet with the fields we set and no malformed or warning items.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import { ETHERTYPE_IPV4, emitEthernet } from "../../src/wire/ethernet.ts";
import { emitIpv4, IP_PROTO_UDP } from "../../src/wire/ipv4.ts";
import {
  emitRip,
  isWholeTableRequest,
  parseRip,
  RIP_GROUP,
  RIP_PORT,
  type RipMessage,
  ripWholeTableRequest,
} from "../../src/wire/rip.ts";
import { emitUdp } from "../../src/wire/udp.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";

const UPDATE: RipMessage = {
  command: "response",
  version: 2,
  entries: [
    { afi: 2, routeTag: 0, address: 0xc0a80100, mask: 0xffffff00, nextHop: 0, metric: 1 },
    { afi: 2, routeTag: 7, address: 0, mask: 0, nextHop: 0x0a000002, metric: 16 },
  ],
};

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("RIP wire format", () => {
  test("a response is laid out as RFC 2453 4 draws it", () => {
    expect(hex(emitRip(UPDATE))).toBe(
      "02020000" + "00020000c0a80100ffffff000000000000000001" + "0002000700000000000000000a00000200000010",
    );
  });

  test("the whole-table request is one entry of family 0 and metric 16", () => {
    const b = emitRip(ripWholeTableRequest(2));
    expect(hex(b)).toBe("01020000" + "0000000000000000000000000000000000000010");
    const back = parseRip(b);
    expect(back.ok && isWholeTableRequest(back.value)).toBe(true);
  });

  test("parse(emit(m)) == m", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const entry = fc.record({
      afi: fc.constant(2),
      routeTag: fc.integer({ min: 0, max: 0xffff }),
      address: u32,
      mask: u32,
      nextHop: u32,
      metric: fc.integer({ min: 0, max: 16 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom<"request" | "response">("request", "response"),
        fc.constantFrom<1 | 2>(1, 2),
        fc.array(entry, { maxLength: 25 }),
        (command, version, entries) => {
          const m: RipMessage = { command, version, entries };
          const back = parseRip(emitRip(m));
          expect(back).toEqual({ ok: true, value: m });
        },
      ),
    );
  });

  test("authentication comes back apart, and only as the first entry", () => {
    const data = new Uint8Array(16);
    data.set(new TextEncoder().encode("cisco"));
    const m: RipMessage = { ...UPDATE, authentication: { type: 2, data } };
    const back = parseRip(emitRip(m));
    expect(back).toEqual({ ok: true, value: m });
    const b = emitRip(m);
    // Swap the authentication entry behind the first route entry.
    const swapped = new Uint8Array(b);
    swapped.set(b.subarray(24, 44), 4);
    swapped.set(b.subarray(4, 24), 24);
    expect(parseRip(swapped)).toMatchObject({ ok: false, error: { reason: "badValue" } });
  });

  test("bad messages are refused with a reason, random bytes never throw", () => {
    const good = emitRip(UPDATE);
    expect(parseRip(good.subarray(0, 3))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseRip(good.subarray(0, 30))).toMatchObject({ ok: false, error: { reason: "badLength" } });
    const cmd = new Uint8Array(good);
    cmd[0] = 3;
    expect(parseRip(cmd)).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    const ver = new Uint8Array(good);
    ver[1] = 3;
    expect(parseRip(ver)).toMatchObject({ ok: false, error: { reason: "badVersion" } });
    const big = new Uint8Array(4 + 26 * 20);
    big[0] = 2;
    big[1] = 2;
    expect(parseRip(big)).toMatchObject({ ok: false, error: { reason: "badLength" } });
    expect(() => emitRip({ ...UPDATE, entries: Array(26).fill(UPDATE.entries[0]) })).toThrow(RangeError);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => typeof parseRip(b).ok === "boolean"));
  });
});

const dir = mkdtempSync(join(tmpdir(), "wanlab-rip-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frame(m: RipMessage): Uint8Array {
  const src = 0x0a000001;
  const udp = emitUdp({ srcPort: RIP_PORT, dstPort: RIP_PORT, payload: emitRip(m) }, { src, dst: RIP_GROUP });
  const ip = emitIpv4({
    dscp: 48,
    ecn: 0,
    identification: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 2,
    protocol: IP_PROTO_UDP,
    src,
    dst: RIP_GROUP,
    options: new Uint8Array(0),
    payload: udp,
  });
  return emitEthernet({ dst: 0x01005e000009, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: ip });
}

describe.skipIf(!hasTshark)("wireshark decodes wanlab's RIPv2", () => {
  test("a request and a response decode with our fields, nothing malformed", () => {
    const path = join(dir, "rip.pcap");
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    w.writePacket(1e9, frame(ripWholeTableRequest(2)));
    w.writePacket(2e9, frame(UPDATE));
    writeFileSync(path, w.bytes());
    const rows = tsharkFields(path, [
      "frame.protocols",
      "_ws.malformed",
      "_ws.expert.severity",
      "rip.command",
      "rip.version",
      "rip.ip",
      "rip.netmask",
      "rip.next_hop",
      "rip.metric",
      "rip.route_tag",
    ]);
    expect(rows.length).toBe(2);
    for (const row of rows) {
      expect(row["frame.protocols"]).toBe("eth:ethertype:ip:udp:rip");
      expect(row["_ws.malformed"]).toBe("");
      for (const s of (row["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
        expect(Number(s)).toBeLessThan(0x00600000);
      expect(row["rip.version"]).toBe("2");
    }
    expect(rows[0]!["rip.command"]).toBe("1");
    expect(rows[0]!["rip.metric"]).toBe("16");
    expect(rows[1]!["rip.command"]).toBe("2");
    expect(rows[1]!["rip.ip"]).toBe("192.168.1.0,0.0.0.0");
    expect(rows[1]!["rip.netmask"]).toBe("255.255.255.0,0.0.0.0");
    expect(rows[1]!["rip.next_hop"]).toBe("0.0.0.0,10.0.0.2");
    expect(rows[1]!["rip.metric"]).toBe("1,16");
    expect(rows[1]!["rip.route_tag"]).toBe("0,7");
  });
});
