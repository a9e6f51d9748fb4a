// IKE on a hub with many peers finds a peer's phase-1 SAs by key: an SA
// request reads only that peer's SAs (counted through an accessor on every
// SA), the same with 100 peers as with 1000.
import { describe, expect, test } from "bun:test";
import { RouterDevice } from "../../../../src/config/router/router-device.ts";
import type { SaRequest } from "../../../../src/dataplane/ipsec/ipsec-sa.ts";
import { IsakmpSa } from "../../../../src/protocols/ike/v1/isakmp-sa.ts";
import { fakeContext } from "../../../config/router/fake-context.ts";

const HUB = 0x0a000001;
const peerAddress = (i: number): number => (0xc0a80000 + i) >>> 0;

function request(i: number): SaRequest {
  return {
    interfaceName: "GigabitEthernet0/0",
    mapName: "HUB",
    sequence: 10,
    local: HUB,
    peer: peerAddress(i),
    localProxy: { address: HUB, mask: 0xffffffff, protocol: 47, port: 0 },
    remoteProxy: { address: peerAddress(i), mask: 0xffffffff, protocol: 47, port: 0 },
  };
}

function hub(n: number) {
  const device = new RouterDevice(fakeContext("HUB", [{ name: "GigabitEthernet0/0", kind: "ethernet" }]), "router");
  const ike = device.ike!;
  const reads = { count: 0 };
  const sas: IsakmpSa[] = [];
  for (let i = 1; i <= n; i++) {
    const cookie = new Uint8Array(8);
    new DataView(cookie.buffer).setUint32(4, i);
    const sa = new IsakmpSa(ike.allocateConnId(), "I", cookie, new Uint8Array(8), HUB, peerAddress(i), 0);
    let deleted = false;
    Object.defineProperty(sa, "deleted", {
      get: () => {
        reads.count++;
        return deleted;
      },
      set: (v: boolean) => {
        deleted = v;
      },
    });
    ike.addSa(sa);
    sas.push(sa);
  }
  return { ike, sas, reads };
}

describe("IKE phase-1 lookups by key on a hub with many peers", () => {
  test("an SA request joins its peer's budding SA, reading only that peer's SAs", () => {
    const work = [100, 1000].map((n) => {
      const h = hub(n);
      const before = h.reads.count;
      h.ike.requestSa(request(n - 5));
      const reads = h.reads.count - before;
      // The request waits on the peer's SA that is still in main mode, and on no other.
      expect(h.sas[n - 6]!.waiting.length).toBe(1);
      expect(h.sas.filter((s) => s.waiting.length > 0).length).toBe(1);
      expect(h.ike.isakmpSas().length).toBe(n);
      return reads;
    });
    expect(work[1]).toBe(work[0]!);
    expect(work[0]!).toBeLessThan(5);
  });
});
