// ip tcp adjust-mss through a router: a SYN forwarded out of an interface that
// has it, and the SYN-ACK coming back in by that interface, leave with the MSS
// lowered and a TCP checksum that verifies; without the command the MSS goes
// through as sent. Ethernet is checked too, where option-less unicast is
// otherwise fast-switched (the command punts it to the full path). The
// command round-trips through the running config, and `no` removes it.

import { describe, expect, test } from "bun:test";
import { renderRunningConfig } from "../../src/config/router/running-config.ts";
import { macBytes } from "../../src/dataplane/pipeline/arp-service.ts";
import {
  ETHERTYPE_IPV4,
  emitEthernet,
  emitHdlc,
  emitIpv4,
  emitTcp,
  HDLC_ADDRESS_UNICAST,
  HDLC_PROTO_IPV4,
  IP_PROTO_TCP,
  parseTcp,
  TCP_ACK,
  TCP_SYN,
} from "../../src/wire/index.ts";
import { parseIpv4Address } from "../../src/wire/ipv4-address.ts";
import { bringUp } from "../config/router/fake-context.ts";
import { routerSession } from "../config/router/router-session.ts";

const ip = (s: string): number => parseIpv4Address(s)!;
const CLIENT = ip("10.0.0.2");
const SERVER = ip("10.0.1.2");

/** An IPv4 datagram with a SYN (or SYN-ACK) offering `mss`. */
function synDatagram(src: number, dst: number, flags: number, mss: number): Uint8Array {
  const tcp = emitTcp(
    {
      srcPort: src === CLIENT ? 40000 : 23,
      dstPort: src === CLIENT ? 23 : 40000,
      seq: 100,
      ack: flags & TCP_ACK ? 101 : 0,
      flags,
      window: 65535,
      urgent: 0,
      options: [{ kind: "mss", mss }, { kind: "nop" }, { kind: "windowScale", shift: 7 }],
      payload: new Uint8Array(0),
    },
    { src, dst },
  );
  return emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: 9,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IP_PROTO_TCP,
    src,
    dst,
    options: new Uint8Array(0),
    payload: tcp,
  });
}

/** The MSS in the datagram at `off` of a sent frame, its TCP checksum verified. */
function sentMss(frame: Uint8Array, off: number): number {
  const dgram = frame.subarray(off);
  const src = (dgram[12]! << 24) | (dgram[13]! << 16) | (dgram[14]! << 8) | dgram[15]!;
  const dst = (dgram[16]! << 24) | (dgram[17]! << 16) | (dgram[18]! << 8) | dgram[19]!;
  const total = (dgram[2]! << 8) | dgram[3]!;
  const t = parseTcp(dgram.subarray(20, total), { src: src >>> 0, dst: dst >>> 0 });
  if (!t.ok) throw new Error(t.error.detail);
  const o = t.value.options.find((x) => x.kind === "mss");
  return o?.kind === "mss" ? o.mss : -1;
}

function serialRouter(adjust: string[]) {
  const r = routerSession("R1", [
    { name: "Serial0/0", kind: "serial" },
    { name: "Serial0/1", kind: "serial" },
  ]);
  bringUp(r.device, "Serial0/0", ip("10.0.0.1"), 24);
  bringUp(r.device, "Serial0/1", ip("10.0.1.1"), 24);
  expect(r.load(["interface Serial0/1", ...adjust])).toEqual([]);
  const hdlc = (d: Uint8Array) => emitHdlc({ address: HDLC_ADDRESS_UNICAST, protocol: HDLC_PROTO_IPV4, payload: d });
  return { ...r, hdlc };
}

describe("ip tcp adjust-mss", () => {
  test("serial: the SYN out of and the SYN-ACK in by the interface are clamped to 1360", () => {
    const { device, ctx, hdlc } = serialRouter([" ip tcp adjust-mss 1360"]);
    device.stack.receive(0, hdlc(synDatagram(CLIENT, SERVER, TCP_SYN, 1460)));
    const out = ctx.sent.filter((s) => s.port === 1);
    expect(out.length).toBe(1);
    expect(sentMss(out[0]!.bytes, 4)).toBe(1360);
    device.stack.receive(1, hdlc(synDatagram(SERVER, CLIENT, TCP_SYN | TCP_ACK, 1460)));
    const back = ctx.sent.filter((s) => s.port === 0);
    expect(back.length).toBe(1);
    expect(sentMss(back[0]!.bytes, 4)).toBe(1360);
    // A smaller MSS goes through as it is.
    device.stack.receive(0, hdlc(synDatagram(CLIENT, SERVER, TCP_SYN, 1200)));
    expect(sentMss(ctx.sent.filter((s) => s.port === 1)[1]!.bytes, 4)).toBe(1200);
  });

  test("without the command the MSS is untouched; no ip tcp adjust-mss removes it", () => {
    const { device, ctx, hdlc, load } = serialRouter([" ip tcp adjust-mss 1360"]);
    expect(renderRunningConfig(device, "Serial0/1")).toContain(
      " ip address 10.0.1.1 255.255.255.0\n ip tcp adjust-mss 1360\n",
    );
    expect(load(["interface Serial0/1", " no ip tcp adjust-mss"])).toEqual([]);
    expect(renderRunningConfig(device, "Serial0/1")).not.toContain("adjust-mss");
    device.stack.receive(0, hdlc(synDatagram(CLIENT, SERVER, TCP_SYN, 1460)));
    expect(sentMss(ctx.sent.filter((s) => s.port === 1)[0]!.bytes, 4)).toBe(1460);
  });

  test("Ethernet: the fast path hands SYNs through an adjust-mss interface to the full path, which clamps", () => {
    const r = routerSession("R1", [
      { name: "GigabitEthernet0/0", kind: "ethernet" },
      { name: "GigabitEthernet0/1", kind: "ethernet" },
    ]);
    const g0 = bringUp(r.device, "GigabitEthernet0/0", ip("10.0.0.1"), 24);
    bringUp(r.device, "GigabitEthernet0/1", ip("10.0.1.1"), 24);
    r.device.stack.arp.learn(SERVER, macBytes(0x0000aa000002), "GigabitEthernet0/1", r.ctx.nowNs);
    expect(r.load(["interface GigabitEthernet0/1", " ip tcp adjust-mss 1400"])).toEqual([]);
    const frame = emitEthernet({
      dst: g0.mac,
      src: 0x0000aa000001,
      ethertype: ETHERTYPE_IPV4,
      payload: synDatagram(CLIENT, SERVER, TCP_SYN, 1460),
    });
    r.device.stack.receive(0, frame);
    const out = r.ctx.sent.filter((s) => s.port === 1);
    expect(out.length).toBe(1);
    expect(sentMss(out[0]!.bytes, 14)).toBe(1400);
  });
});
