// The entries `show ip cef` lists besides routes are real FIB entries, and
// forwarding honours them: a datagram for a martian (127/8) is discarded
// silently and counted as a forced drop (it used to get a host unreachable);
// a datagram for a connected network's address is received by the router;
// an address nothing covers hits the "no route" default and is answered
// with an unreachable. Every row of `show ip cef` is what the FIB looks up.

import { describe, expect, test } from "bun:test";
import { renderShowIpCef } from "../../src/config/router/show-ip-cef.ts";
import { emitHdlc, HDLC_ADDRESS_UNICAST, HDLC_PROTO_IPV4 } from "../../src/wire/hdlc.ts";
import { emitIcmp, parseIcmp } from "../../src/wire/icmp.ts";
import { emitIpv4, IP_PROTO_ICMP, parseIpv4 } from "../../src/wire/ipv4.ts";
import { formatIpv4Address, maskFromLength, parseIpv4Address } from "../../src/wire/ipv4-address.ts";
import { bringUp, fakeRouter, runTimers } from "../config/router/fake-context.ts";

const ip = (s: string): number => parseIpv4Address(s)!;

function router() {
  const r = fakeRouter("R2", [{ name: "Serial4/0", kind: "serial" }]);
  bringUp(r.device, "Serial4/0", ip("192.168.23.2"), 24);
  return r;
}

/** An echo request from the serial neighbour 192.168.23.3 to `dst`, as an HDLC frame. */
function echoFrame(dst: string): Uint8Array {
  const dgram = emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: 7,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IP_PROTO_ICMP,
    src: ip("192.168.23.3"),
    dst: ip(dst),
    options: new Uint8Array(0),
    payload: emitIcmp({ kind: "echoRequest", id: 1, seq: 1, data: new Uint8Array(8) }),
  });
  return emitHdlc({ address: HDLC_ADDRESS_UNICAST, protocol: HDLC_PROTO_IPV4, payload: dgram });
}

/** ICMP messages the router sent back on the serial port. */
function icmpSent(sent: Array<{ bytes: Uint8Array }>): string[] {
  return sent.flatMap(({ bytes }) => {
    const p = parseIpv4(bytes.subarray(4), { verifyChecksum: false });
    if (!p.ok || p.value.protocol !== IP_PROTO_ICMP) return [];
    const m = parseIcmp(p.value.payload);
    return m.ok ? [`${m.value.kind} to ${formatIpv4Address(p.value.dst)}`] : [];
  });
}

describe("CEF special entries are FIB entries", () => {
  test("every row of show ip cef is an entry the FIB looks up", () => {
    const { device } = router();
    const rib = device.stack.rib;
    const rows = renderShowIpCef(device)
      .split("\n")
      .slice(1)
      .filter((l) => /^\d/.test(l));
    const entries = rib.fibEntries();
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(
      entries.map((e) => `${formatIpv4Address(e.prefix)}/${e.length}`),
    );
    for (const e of entries) {
      // The highest address of the prefix lands on this entry unless a longer one covers it.
      const probe = (e.prefix | ~maskFromLength(e.length)) >>> 0;
      const longer = entries.filter(
        (x) => x.length > e.length && ((probe ^ x.prefix) & maskFromLength(x.length)) === 0,
      );
      if (longer.length === 0) expect(rib.forward(probe)).toBe(e.pathList);
    }
    expect(rib.forward(ip("127.1.2.3"))?.kind).toBe("discard");
    expect(rib.forward(ip("192.168.23.0"))?.kind).toBe("receive");
    expect(rib.forward(ip("8.8.8.8"))?.kind).toBe("noRoute");
  });

  test("a martian destination is discarded silently and counted as a forced drop", () => {
    const { device, ctx } = router();
    device.stack.receive(0, echoFrame("127.1.1.1"));
    expect(device.stack.counters.forcedDrop).toBe(1);
    expect(device.stack.counters.noRoute).toBe(0);
    expect(icmpSent(ctx.sent)).toEqual([]);
  });

  test("the connected network's address is received: the router answers the echo", () => {
    const { device, ctx } = router();
    device.stack.receive(0, echoFrame("192.168.23.0"));
    expect(device.stack.counters.delivered).toBe(1);
    // The control plane answers after its processing delay.
    expect(icmpSent(ctx.sent)).toEqual([]);
    expect(runTimers(device, ctx)).toBe(1);
    expect(icmpSent(ctx.sent)).toEqual(["echoReply to 192.168.23.3"]);
  });

  test("an address no route covers hits the no-route default: host unreachable", () => {
    const { device, ctx } = router();
    device.stack.receive(0, echoFrame("8.8.8.8"));
    expect(device.stack.counters.noRoute).toBe(1);
    runTimers(device, ctx);
    expect(icmpSent(ctx.sent)).toEqual(["destUnreachable to 192.168.23.3"]);
  });

  test("a default route replaces the no-route entry, and withdrawing it brings the entry back", () => {
    const { device } = router();
    const rib = device.stack.rib;
    rib.addStatic({ prefix: 0, length: 0, nextHop: ip("192.168.23.3") });
    rib.commit();
    expect(rib.forward(ip("8.8.8.8"))?.kind).toBe("forward");
    expect(renderShowIpCef(device)).toContain("0.0.0.0/0            192.168.23.3         Serial4/0");
    rib.removeStatic({ prefix: 0, length: 0, nextHop: ip("192.168.23.3") });
    rib.commit();
    expect(rib.forward(ip("8.8.8.8"))?.kind).toBe("noRoute");
    expect(renderShowIpCef(device)).toContain("0.0.0.0/0            no route");
  });
});
