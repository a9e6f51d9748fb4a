// Bad NHRP input on a running interface: random bytes, truncated and
// re-checksummed mutations of a real registration, a wrong password and a
// reply nobody asked for are dropped and counted, never thrown, and leave the
// cache as it was; a well-formed registration from a new client is answered
// and cached as a dynamic, registered entry.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { nhrpProcess } from "../../../src/config/nhrp/nhrp-store.ts";
import { emitNhrp, NHRP_FLAG, NHRP_TYPE, type NhrpPacket } from "../../../src/wire/nhrp.ts";
import { routerSession } from "../router/router-session.ts";

const HUB = [
  "interface GigabitEthernet0/0",
  " ip address 169.254.105.5 255.255.255.0",
  " no shutdown",
  "interface Tunnel0",
  " ip address 10.1.1.5 255.255.255.0",
  " ip nhrp authentication donttell",
  " ip nhrp map multicast dynamic",
  " ip nhrp network-id 99",
  " tunnel source GigabitEthernet0/0",
  " tunnel mode gre multipoint",
  " tunnel key 100000",
];

function registration(password: string, spoke = 0x0a010101, nbma = 0xa9fe6501): NhrpPacket {
  return {
    type: NHRP_TYPE.registrationRequest,
    hopCount: 255,
    srcNbma: nbma,
    srcProtocol: spoke,
    dstProtocol: 0x0a010105,
    body: {
      kind: "common",
      flags: NHRP_FLAG.registrationUnique,
      requestId: 1,
      cies: [
        {
          code: 0,
          prefixLength: 32,
          mtu: 1514,
          holdingTime: 300,
          clientNbma: null,
          clientProtocol: null,
          preference: 0,
        },
      ],
    },
    extensions: [{ compulsory: true, kind: "authentication", spi: 1, data: new TextEncoder().encode(password) }],
  };
}

function hub() {
  const r = routerSession("R5");
  expect(r.load(HUB)).toEqual([]);
  const gi = r.device.findInterface("Gi0/0")!;
  gi.carrier = true;
  r.device.interfaceChanged(gi, true);
  const nhrp = nhrpProcess(r.device)!.on(r.device.findInterface("Tunnel0")!)!;
  return { r, nhrp };
}

describe("nhrp input", () => {
  test("a registration with the right password is cached and answered; the wrong one is dropped", () => {
    const { nhrp } = hub();
    nhrp.receive(0xa9fe6501, 0xa9fe6905, emitNhrp(registration("wrong")));
    expect(nhrp.traffic.rcvd.authFailures).toBe(1);
    expect(nhrp.cache.size).toBe(0);
    nhrp.receive(0xa9fe6501, 0xa9fe6905, emitNhrp(registration("donttell")));
    const e = nhrp.cache.get(0x0a010101)!;
    expect([e.type, e.nbma, e.flags.registered, e.flags.unique]).toEqual(["dynamic", 0xa9fe6501, true, true]);
    expect(nhrp.traffic.sent.registrationReply).toBe(1);
    expect([...nhrp.multicastNbmas()]).toEqual([0xa9fe6501]);
    // Unique: another NBMA address may not take 10.1.1.1 while the entry lives.
    nhrp.receive(0xa9fe6502, 0xa9fe6905, emitNhrp(registration("donttell", 0x0a010101, 0xa9fe6502)));
    expect(nhrp.cache.get(0x0a010101)!.nbma).toBe(0xa9fe6501);
  });

  test("random bytes and mutations of a registration never throw and change nothing (property)", () => {
    const { nhrp } = hub();
    const valid = emitNhrp(registration("donttell"));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        nhrp.receive(0xa9fe6501, 0xa9fe6905, b);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, v) => {
        const c = valid.slice(0, i + 1);
        c[i] = v;
        if (c.length < valid.length || c[i] !== valid[i]) nhrp.receive(0xa9fe6501, 0xa9fe6905, c);
      }),
      { numRuns: 500 },
    );
    expect(nhrp.cache.size).toBe(0);
    expect(nhrp.traffic.rcvd.errors).toBeGreaterThan(900);
    // A reply nobody asked for is ignored.
    nhrp.receive(0xa9fe6501, 0xa9fe6905, emitNhrp({ ...registration("donttell"), type: NHRP_TYPE.resolutionReply }));
    expect(nhrp.cache.size).toBe(0);
  });
});
