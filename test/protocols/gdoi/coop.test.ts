// COOP between two key servers back to back (R1 priority 100, R2 priority 40):
// the ISAKMP SA between them comes up on UDP 848 as GDOI_IDLE, R1 is elected
// primary and R2 follows with R1's KEK, TEK and TBAR pseudotime; COOP messages that are not good ones
// (cut, a wrong HASH, a replayed anti-replay number, a group the server does
// not serve) are dropped and counted, never thrown, and change nothing.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gdoiProtocolOf } from "../../../src/config/gdoi/gdoi-store.ts";
import { pullHash } from "../../../src/protocols/gdoi/pull-message.ts";
import { ksPseudotimeMs } from "../../../src/protocols/gdoi/tbar-pseudotime.ts";
import type { IsakmpSa } from "../../../src/protocols/ike/v1/isakmp-sa.ts";
import { COOP_EXCHANGE, COOP_PAYLOAD, type CoopAnnounce, emitCoopBody } from "../../../src/wire/gdoi-coop.ts";
import { ISAKMP_PAYLOAD } from "../../../src/wire/isakmp-constants.ts";
import { type IpsecPair, ipsecPair } from "../ipsec/ipsec-pair.ts";

function ks(n: 1 | 2, priority: number): string {
  const peer = n === 1 ? 2 : 1;
  return [
    "crypto isakmp policy 1",
    " encr aes",
    " authentication pre-share",
    " group 2",
    `crypto isakmp key COOPKEY address 10.0.12.${peer}`,
    "crypto ipsec transform-set aes128 esp-aes esp-sha-hmac",
    "crypto ipsec profile profile1",
    " set transform-set aes128",
    "ip access-list extended getvpn-acl",
    " permit ip any any",
    "crypto gdoi group G1",
    " identity number 1234",
    " server local",
    "  rekey transport unicast",
    "  sa ipsec 1",
    "   profile profile1",
    "   match address ipv4 getvpn-acl",
    "   replay time window-size 5",
    `  address ipv4 10.0.12.${n}`,
    "  redundancy",
    `   local priority ${priority}`,
    `   peer address ipv4 10.0.12.${peer}`,
  ].join("\n");
}

let pair: IpsecPair;
beforeAll(async () => {
  pair = await ipsecPair({ r1Crypto: ks(1, 100), r2Crypto: ks(2, 40) });
  await pair.lab.run(45e9);
});
afterAll(() => pair.close());

const coopSa = (r: IpsecPair["r1"]): IsakmpSa => r.ike!.isakmpSas().find((s) => s.gdoi && s.state === "GDOI_IDLE")!;

describe("COOP between two key servers", () => {
  test("the SA is up as GDOI_IDLE, R1 is primary, R2 secondary with R1's TEK", async () => {
    expect(coopSa(pair.r1)).toBeDefined();
    expect(coopSa(pair.r2)).toBeDefined();
    const one = gdoiProtocolOf(pair.r1)!;
    const two = gdoiProtocolOf(pair.r2)!;
    expect(one.coop.groups.get("G1")!.role).toBe("Primary");
    expect(two.coop.groups.get("G1")!.role).toBe("Secondary");
    // A rekey makes R1's TEK and KEK (no member asked yet) and R1 announces them at once; R2 takes them.
    await pair.cmd("R1", "crypto gdoi ks rekey");
    await pair.lab.run(1e9);
    expect(two.keyServer.groups.get("G1")!.seq).toBe(1);
    expect(two.keyServer.groups.get("G1")!.kek?.key).toEqual(one.keyServer.groups.get("G1")!.kek!.key);
    // TBAR: R2 runs R1's pseudotime (it started at R1's first policy, not R2's), to the announcement's 1 ms latency.
    const now = pair.r1.now();
    const r1Pseudotime = ksPseudotimeMs(one.keyServer.groups.get("G1")!, now);
    expect(r1Pseudotime).toBeGreaterThan(900);
    expect(Math.abs(ksPseudotimeMs(two.keyServer.groups.get("G1")!, now) - r1Pseudotime)).toBeLessThanOrEqual(2);
    const spis = one.keyServer.groups.get("G1")!.teks.map((t) => t.spi);
    expect(spis.length).toBe(1);
    expect(two.keyServer.groups.get("G1")!.teks.map((t) => t.spi)).toEqual(spis);
    expect(await pair.cmd("R2", "show crypto isakmp sa")).toMatch(/GDOI_IDLE\s+\d+ ACTIVE\n/);
  });

  test("bad COOP messages are dropped and counted", () => {
    const one = coopSa(pair.r1);
    const two = coopSa(pair.r2);
    const gdoi = gdoiProtocolOf(pair.r2)!;
    const peer = gdoi.coop.groups.get("G1")!.peers.get(one.local)!;
    const before = { drops: peer.counters.recvDrops, recv: peer.counters.annRecv, role: peer.role };
    const announce: CoopAnnounce = {
      version: [1, 0, 16],
      groupIdentity: 1234,
      priority: 100,
      role: "Primary",
      alive: true,
      replyRequest: false,
      antiReplaySequence: peer.antiReplay + 1000,
      rekeySequence: 0,
      address: one.local,
    };
    let mid = 0x10000;
    // What R1 would send, encrypted under its side of the SA (same keys, same IV chain start).
    const message = (a: CoopAnnounce, hashOk = true) => {
      const messageId = mid++;
      const rest = emitCoopBody({ announce: a, sync: null });
      const hash = pullHash(one, messageId, rest);
      if (!hashOk) hash[0]! ^= 1;
      const plain = new Uint8Array(4 + hash.length + rest.length);
      plain[0] = COOP_PAYLOAD.ANNOUNCE;
      plain[3] = 4 + hash.length;
      plain.set(hash, 4);
      plain.set(rest, 4 + hash.length);
      const body = one.encryptExchange(messageId, plain);
      one.endExchange(messageId);
      const header = {
        initiatorCookie: two.ckyI,
        responderCookie: two.ckyR,
        nextPayload: ISAKMP_PAYLOAD.HASH,
        version: 0x10,
        exchangeType: COOP_EXCHANGE,
        flags: 1,
        messageId,
        length: 28 + body.length,
      };
      return { header, body };
    };
    const deliver = (m: { header: Parameters<typeof gdoi.coopMessage>[1]; body: Uint8Array }) =>
      expect(() => gdoi.coopMessage(two, m.header, m.body)).not.toThrow();
    const good = message(announce);
    deliver({ header: good.header, body: good.body.subarray(0, 7) }); // not whole cipher blocks
    deliver(message(announce, false)); // wrong HASH
    deliver(message({ ...announce, antiReplaySequence: 1 })); // replayed
    deliver(message({ ...announce, groupIdentity: 999 })); // a group R2 does not serve
    expect(peer.counters.recvDrops).toBe(before.drops + 4);
    expect(peer.counters.annRecv).toBe(before.recv);
    expect(peer.role).toBe(before.role);
    // The real thing is taken.
    deliver(good);
    expect(peer.counters.annRecv).toBe(before.recv + 1);
    expect(peer.counters.recvDrops).toBe(before.drops + 4);
  });
});
