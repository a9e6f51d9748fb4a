// A hub with many IPsec peers must not scan every flow per packet or per
// event. Each flow's `request` and `pairs` are read through counting
// accessors, and the reads per lookup must stay the same with 100 peers and
// with 1000 (a scan over all flows reads them once per flow).
import { describe, expect, test } from "bun:test";
import { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { NegotiatedSa } from "../../../src/dataplane/ipsec/ipsec-sa.ts";
import { emitIpv4 } from "../../../src/wire/ipv4.ts";
import { fakeContext } from "../../config/router/fake-context.ts";

const HUB = 0x0a000001;
const peerAddress = (i: number): number => (0xc0a80000 + i) >>> 0;

function negotiated(i: number): NegotiatedSa {
  const key = (seed: number): Uint8Array => new Uint8Array(20).fill(seed & 0xff);
  return {
    interfaceName: "GigabitEthernet0/0",
    mapName: "HUB",
    sequence: 10,
    local: HUB,
    peer: peerAddress(i),
    localProxy: { address: HUB, mask: 0xffffffff, protocol: 47, port: 0 },
    remoteProxy: { address: peerAddress(i), mask: 0xffffffff, protocol: 47, port: 0 },
    protocol: "esp",
    transform: { name: "T", espIntegrity: "esp-sha-hmac", mode: "transport" } as NegotiatedSa["transform"],
    mode: "transport",
    inbound: {
      spi: 0x1000 + i,
      encryption: null,
      encryptionKey: new Uint8Array(0),
      integrity: "sha1",
      integrityKey: key(i),
    },
    outbound: {
      spi: 0x100000 + i,
      encryption: null,
      encryptionKey: new Uint8Array(0),
      integrity: "sha1",
      integrityKey: key(i + 1),
    },
    lifetimeSec: 3600,
    lifetimeKb: 4_608_000,
    pfsGroup: null,
    initiator: false,
    udpEncap: null,
  };
}

/** A data plane holding `n` peers' SA pairs, and a counter of reads of every flow's `request` and `pairs`. */
function hub(n: number) {
  const device = new RouterDevice(fakeContext("HUB", [{ name: "GigabitEthernet0/0", kind: "ethernet" }]), "router");
  const plane = device.ipsec!;
  const ifc = device.findInterface("GigabitEthernet0/0")!;
  for (let i = 1; i <= n; i++) plane.install(negotiated(i));
  const reads = { count: 0 };
  for (const flow of plane.allFlows()) {
    let request = flow.request;
    let pairs = flow.pairs;
    Object.defineProperty(flow, "request", {
      get: () => {
        reads.count++;
        return request;
      },
      set: (v) => void (request = v),
    });
    Object.defineProperty(flow, "pairs", {
      get: () => {
        reads.count++;
        return pairs;
      },
      set: (v) => void (pairs = v),
    });
  }
  return { plane, ifc, reads };
}

/** Reads of flows done by `op`. */
function readsOf(h: ReturnType<typeof hub>, op: () => void): number {
  const before = h.reads.count;
  op();
  return h.reads.count - before;
}

describe("IPsec lookups by key on a hub with many peers", () => {
  const sizes = [100, 1000];
  const hubs = sizes.map(hub);

  test("every peer's SA pair is installed", () => {
    for (const [k, h] of hubs.entries()) expect(h.plane.allFlows().length).toBe(sizes[k]!);
    expect(hubs[1]!.plane.findSpi(0x1000 + 777)?.flow.request.peer).toBe(peerAddress(777));
    expect(hubs[1]!.plane.findSpi(0x100000 + 778)?.flow.request.peer).toBe(peerAddress(778));
    expect(hubs[1]!.plane.findSpi(0x99999999)).toBeUndefined();
  });

  test("SPI, peer, map and clear-traffic lookups read the same few flows whatever the number of peers", () => {
    const work = hubs.map((h, k) => {
      const peer = sizes[k]! - 3;
      const clear = emitIpv4({
        dscp: 0,
        ecn: 0,
        identification: 1,
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 64,
        protocol: 47,
        src: peerAddress(peer),
        dst: HUB,
        options: new Uint8Array(0),
        payload: new Uint8Array(8),
      });
      return [
        readsOf(h, () => expect(h.plane.findSpi(0x1000 + peer)).toBeDefined()),
        readsOf(h, () => expect(h.plane.peerActivity(peerAddress(peer))).toEqual({ sent: 0, received: 0 })),
        readsOf(h, () => expect(h.plane.hasSa("HUB")).toBe(true)),
        // Clear GRE from a peer whose SA should protect it is refused, found by the peer's address.
        readsOf(h, () => expect(h.plane.acceptClear(h.ifc, clear)).toBe(false)),
        readsOf(h, () => expect(h.plane.removeBySpi(peerAddress(peer), 0x100000 + peer)).toBe(true)),
      ];
    });
    // The same work for 1000 peers as for 100, and each lookup reads a handful of fields.
    expect(work[1]).toEqual(work[0]!);
    for (const w of work[0]!) expect(w).toBeLessThan(20);
    expect(hubs[1]!.plane.findSpi(0x1000 + 997)).toBeUndefined();
    expect(hubs[1]!.plane.findSpi(0x1000 + 996)).toBeDefined();
  });
});
