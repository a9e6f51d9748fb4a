// IKEv1 + crypto maps end to end between two routers: the tunnel comes up on
// interesting traffic, garbage IKE and forged, corrupted or replayed ESP are
// dropped and logged without disturbing it, PFS and lifetimes rekey, dynamic
// maps answer, IOS's default ISAKMP suites negotiate.

import { afterEach, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { IP_PROTO_ESP, IP_PROTO_UDP } from "../../../src/wire/ipv4.ts";
import { emitUdp } from "../../../src/wire/udp.ts";
import { type IpsecPair, ipsecPair, standardCrypto } from "./ipsec-pair.ts";

const R1 = 0x0a000c01;
const R2 = 0x0a000c02;
let pair: IpsecPair | null = null;
afterEach(() => {
  pair?.close();
  pair = null;
});

function syslog(p: IpsecPair, text: string): string[] {
  return p.lab.syslog.map((l) => l.text).filter((t) => t.includes(text));
}

/** R1 sends raw bytes to R2 as UDP 500, outside any crypto map. */
function sendIke(p: IpsecPair, bytes: Uint8Array): void {
  const payload = emitUdp({ srcPort: 500, dstPort: 500, payload: bytes }, { src: R1, dst: R2 });
  p.r1.stack.send({ dst: R2, src: R1, protocol: IP_PROTO_UDP, payload, bypassCrypto: true });
}

function u32(n: number): number[] {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function sendEsp(p: IpsecPair, esp: Uint8Array): void {
  p.r1.stack.send({ dst: R2, src: R1, protocol: IP_PROTO_ESP, payload: esp, bypassCrypto: true });
}

/**
 * Lets injected packets arrive. The lab only learns of events a partition
 * queued during one of its windows, so a command (any) opens one first.
 */
async function settle(p: IpsecPair): Promise<void> {
  await p.lab.command("R1", "show clock");
  await p.lab.run(5e6);
}

describe("crypto map between two routers", () => {
  test("interesting traffic brings the tunnel up; both sides count every packet", async () => {
    pair = await ipsecPair();
    const ping = await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 10");
    expect(ping).toContain(".!!!!!!!!!");
    for (const r of ["R1", "R2"] as const) {
      expect(await pair.cmd(r, "show crypto isakmp sa")).toMatch(/10\.0\.12\.2\s+10\.0\.12\.1\s+QM_IDLE\s+1001 ACTIVE/);
      const sa = await pair.cmd(r, "show crypto ipsec sa");
      expect(sa).toContain("#pkts encaps: 9, #pkts encrypt: 9, #pkts digest: 9");
      expect(sa).toContain("#pkts decaps: 9, #pkts decrypt: 9, #pkts verify: 9");
    }
    // Both directions' SPIs agree: R1's outbound is R2's inbound.
    const out1 = pair.r1.ipsec!.allFlows()[0]!.pairs[0]!.negotiated;
    const out2 = pair.r2.ipsec!.allFlows()[0]!.pairs[0]!.negotiated;
    expect(out1.outbound.spi).toBe(out2.inbound.spi);
    expect(out2.outbound.spi).toBe(out1.inbound.spi);
    expect(Buffer.from(out1.outbound.encryptionKey).equals(Buffer.from(out2.inbound.encryptionKey))).toBe(true);
    expect(Buffer.from(out1.outbound.encryptionKey).equals(Buffer.from(out1.inbound.encryptionKey))).toBe(false);
  });

  test("random and corrupted ISAKMP messages are dropped and logged; the tunnel stays up", async () => {
    pair = await ipsecPair();
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    const p = pair;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (bytes) => {
        sendIke(p, bytes);
        await settle(p);
      }),
      { numRuns: 60, seed: 42 },
    );
    // A valid-looking header with a known cookie but a body that does not decrypt.
    const sa = p.r2.ike!.isakmpSas()[0]!;
    const forged = new Uint8Array(28 + 32);
    forged.set(sa.ckyI, 0);
    forged.set(sa.ckyR, 8);
    forged[16] = 8; // HASH
    forged[17] = 0x10;
    forged[18] = 32; // quick mode
    forged[19] = 1; // encrypted
    forged[23] = 7; // message ID
    forged[27] = forged.length;
    sendIke(p, forged);
    await settle(p);
    expect(
      syslog(p, "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.0.12.1 failed its sanity check or is malformed")
        .length,
    ).toBeGreaterThan(0);
    expect(await p.cmd("R2", "show crypto isakmp sa")).toMatch(/QM_IDLE\s+1001 ACTIVE/);
    expect(await p.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain("Success rate is 100 percent (5/5)");
  });

  test("ESP with an unknown SPI, a flipped bit or a replayed sequence number is dropped with IOS's messages", async () => {
    pair = await ipsecPair();
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    const p = pair;
    // Unknown SPI.
    sendEsp(p, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1, ...new Uint8Array(64)]));
    await settle(p);
    expect(
      syslog(
        p,
        "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=10.0.12.2, prot=50, spi=0xDEADBEEF(3735928559), srcaddr=10.0.12.1",
      ).length,
    ).toBe(1);
    // A real packet sealed on R1's outbound SA, delivered twice, then a corrupted copy.
    const flow = p.r1.ipsec!.allFlows()[0]!;
    const engine = flow.pairs[0]!.outbound;
    if (engine.kind !== "esp") throw new Error("expected ESP");
    const inner = new Uint8Array(40);
    inner[0] = 0x45;
    inner[3] = 40;
    inner[8] = 64;
    inner[9] = 253;
    inner.set([10, 1, 1, 1, 10, 2, 2, 2], 12);
    const esp = engine.sa.seal(inner, 4);
    sendEsp(p, esp);
    await settle(p);
    sendEsp(p, esp);
    await settle(p);
    expect(syslog(p, "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed").length).toBe(1);
    const corrupted = engine.sa.seal(inner, 4);
    corrupted[corrupted.length - 20]! ^= 0x01;
    sendEsp(p, corrupted);
    await settle(p);
    expect(syslog(p, "%CRYPTO-4-RECVD_PKT_MAC_ERR").length).toBe(1);
    const r2flow = p.r2.ipsec!.allFlows()[0]!;
    expect(r2flow.counters.replayFailed).toBe(1);
    expect(r2flow.counters.verifyFailed).toBe(1);
    expect(await p.cmd("R2", "show crypto ipsec sa")).toContain("#send errors 0, #recv errors 2");
    expect(await p.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain("Success rate is 100 percent (5/5)");
  });

  test("clear traffic that should have been encrypted is dropped with RECVD_PKT_NOT_IPSEC", async () => {
    pair = await ipsecPair();
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    // An ICMP echo from R1's LAN to R2's LAN, sent around the crypto map.
    const icmp = new Uint8Array([8, 0, 0xf7, 0xfe, 0, 1, 0, 1]);
    pair.r1.stack.send({ dst: 0x0a020202, src: 0x0a010101, protocol: 1, payload: icmp, bypassCrypto: true });
    await settle(pair);
    expect(
      syslog(
        pair,
        "%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet. (ip) vrf/dest_addr= /10.2.2.2, src_addr= 10.1.1.1, prot= 1",
      ).length,
    ).toBe(1);
  });

  test("PFS group 14 with a 120-second lifetime: the initiator rekeys before expiry and traffic keeps flowing", async () => {
    const extra = " set pfs group14\n set security-association lifetime seconds 120";
    pair = await ipsecPair({ r1Crypto: standardCrypto(1, extra), r2Crypto: standardCrypto(2, extra) });
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    const first = pair.r1.ipsec!.allFlows()[0]!.pairs[0]!.negotiated.outbound.spi;
    const sa = await pair.cmd("R1", "show crypto ipsec sa");
    expect(sa).toContain("PFS (Y/N): Y, DH group: group14");
    expect(sa).toMatch(/remaining key lifetime \(k\/sec\): \(\d+\/11\d\)/);
    await pair.lab.run(115e9);
    const after = pair.r1.ipsec!.allFlows()[0]!.pairs[0]!.negotiated;
    expect(after.outbound.spi).not.toBe(first);
    expect(after.pfsGroup).toBe(14);
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain("Success rate is 100 percent (5/5)");
    // Until the old pair's hard lifetime ends both are held (inbound overlap), then only the new one.
    expect(pair.r1.ipsec!.allFlows()[0]!.pairs.length).toBe(2);
    await pair.lab.run(10e9);
    expect(pair.r1.ipsec!.allFlows()[0]!.pairs.length).toBe(1);
    expect(pair.r2.ipsec!.allFlows()[0]!.pairs.length).toBe(1);
  });

  test("an AH+ESP transform set negotiates a bundle: AH outside ESP, four SAs, both checked on the way in", async () => {
    const bundle = (n: 1 | 2): string =>
      standardCrypto(n).replace(
        "transform-set TS esp-aes esp-sha-hmac",
        "transform-set TS ah-sha-hmac esp-aes esp-sha-hmac",
      );
    pair = await ipsecPair({ r1Crypto: bundle(1), r2Crypto: bundle(2) });
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 10")).toContain(".!!!!!!!!!");
    const n1 = pair.r1.ipsec!.allFlows()[0]!.pairs[0]!.negotiated;
    const n2 = pair.r2.ipsec!.allFlows()[0]!.pairs[0]!.negotiated;
    expect(n1.ahBundle!.outbound.spi).toBe(n2.ahBundle!.inbound.spi);
    expect(n2.ahBundle!.outbound.spi).toBe(n1.ahBundle!.inbound.spi);
    expect(n1.ahBundle!.inbound.spi).not.toBe(n1.inbound.spi);
    // AH keys come from AH's own KEYMAT (protocol 2 and its SPI), not ESP's.
    expect(Buffer.from(n1.ahBundle!.outbound.integrityKey).equals(Buffer.from(n1.outbound.integrityKey))).toBe(false);
    const sa = await pair.cmd("R2", "show crypto ipsec sa");
    expect(sa).toContain("#pkts decaps: 9, #pkts decrypt: 9, #pkts verify: 9");
    expect(sa).toContain("transform: ah-sha-hmac esp-aes esp-sha-hmac ,");
    const ahSection = sa.slice(sa.indexOf("inbound ah sas:"), sa.indexOf("inbound pcp sas:"));
    expect(ahSection).toContain(`spi: 0x${n2.ahBundle!.inbound.spi.toString(16).toUpperCase()}`);
    // The AH header (24 bytes with a 12-byte SHA-1 ICV) comes off the plaintext MTU: 1500 - 20 - 24 - 8 - 16 - 12 = 1420
    // for ESP's payload, which AES pads with its 2-byte trailer to 16-byte blocks: 1406 (1438 for ESP alone).
    expect(sa).toContain("plaintext mtu 1406, path mtu 1500");
    // ESP of the bundle sent bare, without its AH, is refused.
    const before = pair.r2.ipsec!.allFlows()[0]!.counters.recvErrors;
    sendEsp(pair, new Uint8Array([...u32(n1.outbound.spi), 0, 0, 0, 99, ...new Uint8Array(48)]));
    await settle(pair);
    expect(pair.r2.ipsec!.allFlows()[0]!.counters.recvErrors).toBe(before + 1);
    // clear crypto sa spi on the AH half removes the bundle on both sides (DELETE for both SPIs).
    await pair.cmd("R1", `clear crypto sa spi 10.0.12.1 ah ${n1.ahBundle!.inbound.spi}`);
    await settle(pair);
    expect(pair.r1.ipsec!.allFlows()[0]!.pairs.length).toBe(0);
    expect(pair.r2.ipsec!.allFlows().every((f) => f.pairs.length === 0)).toBe(true);
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain("!!!!");
  });

  test("with ISAKMP off (no crypto map with entries on an interface) UDP 500 is a closed port", async () => {
    pair = await ipsecPair({ r2Crypto: "" });
    await pair.cmd("R1", "debug ip icmp");
    sendIke(pair, new Uint8Array(40));
    await settle(pair);
    expect(await pair.cmd("R1", "show logging")).toContain("ICMP: dst (10.0.12.2) port unreachable rcv from 10.0.12.2");
    expect(syslog(pair, "IKMP_BAD_MESSAGE").length).toBe(0);
    // Once R2 has a crypto map, ISAKMP is ON and the same datagram is read (and refused as malformed).
    for (const line of ["configure terminal", ...standardCrypto(2).split("\n"), "end"]) await pair.cmd("R2", line);
    expect(syslog(pair, "R2: %CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON").length).toBe(1);
    sendIke(pair, new Uint8Array(40));
    await settle(pair);
    expect(syslog(pair, "IKMP_BAD_MESSAGE").length).toBe(1);
  });

  test("a dynamic crypto map answers a peer it has no static entry for", async () => {
    const r2 = [
      "crypto isakmp policy 10",
      " encr aes 256",
      " authentication pre-share",
      " group 14",
      "crypto isakmp key SECRET address 0.0.0.0",
      "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
      "crypto dynamic-map DYN 10",
      " set transform-set TS",
      "crypto map MAP 10 ipsec-isakmp dynamic DYN",
    ].join("\n");
    pair = await ipsecPair({ r2Crypto: r2 });
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain(".!!!!");
    const sa = await pair.cmd("R2", "show crypto ipsec sa");
    expect(sa).toContain("local  ident (addr/mask/prot/port): (10.2.2.0/255.255.255.0/0/0)");
    expect(sa).toContain("#pkts decaps: 4");
  });

  test("with no policy configured, IOS's default protection suites negotiate (AES-256, SHA, PSK, group 5)", async () => {
    const strip = (n: 1 | 2): string =>
      standardCrypto(n).replace(/crypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14\n/, "");
    pair = await ipsecPair({ r1Crypto: strip(1), r2Crypto: strip(2) });
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain(".!!!!");
    expect(await pair.cmd("R1", "show crypto isakmp sa detail")).toMatch(
      /1001\s+10\.0\.12\.1\s+10\.0\.12\.2\s+ACTIVE aes\s+sha\s+psk\s+5\s/,
    );
  });

  test("no crypto isakmp default policy and no policy: phase 1 cannot start", async () => {
    const strip = (n: 1 | 2): string =>
      `no crypto isakmp default policy\n${standardCrypto(n).replace(/crypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14\n/, "")}`;
    pair = await ipsecPair({ r1Crypto: strip(1), r2Crypto: strip(2) });
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain("Success rate is 0 percent");
    expect(await pair.cmd("R1", "show crypto isakmp sa")).not.toContain("10.0.12.2");
  });

  test("DPD (crypto isakmp keepalive 10 2 periodic): R-U-THERE is answered while the peer lives; a dead peer's SAs are deleted", async () => {
    const keepalive = "\ncrypto isakmp keepalive 10 2 periodic";
    pair = await ipsecPair({ r1Crypto: standardCrypto(1) + keepalive, r2Crypto: standardCrypto(2) + keepalive });
    await pair.cmd("R2", "debug crypto isakmp");
    await pair.cmd("R1", "debug crypto isakmp");
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain(".!!!!");
    expect(await pair.cmd("R1", "show crypto isakmp sa detail")).toMatch(
      /1001\s+10\.0\.12\.1\s+10\.0\.12\.2\s+ACTIVE aes\s+sha\s+psk\s+14\s+\d\d:\d\d:\d\d D/,
    );
    await pair.lab.run(25e9);
    expect(await pair.cmd("R2", "show logging")).toContain("DPD/R_U_THERE received from peer 10.0.12.1");
    expect(await pair.cmd("R1", "show logging")).toContain("DPD/R_U_THERE_ACK received from peer 10.0.12.2");
    expect(await pair.cmd("R1", "show crypto isakmp sa")).toMatch(/QM_IDLE\s+1001 ACTIVE/);
    // The wire fails: R1's R-U-THERE go unanswered; after five retries 2 s apart R2 is declared dead.
    await pair.lab.setWire("R1-R2", false);
    await pair.lab.run(30e9);
    expect(await pair.cmd("R1", "show logging")).toContain('deleting SA reason "Peer dead"');
    expect(await pair.cmd("R1", "show crypto isakmp sa")).not.toContain("QM_IDLE");
    expect(pair.r1.ipsec!.allFlows().every((f) => f.pairs.length === 0)).toBe(true);
  });

  test("aggressive mode: a peer with an aggressive-mode password negotiates in three messages", async () => {
    const r1 = `${standardCrypto(1)}\ncrypto isakmp peer address 10.0.12.2\n set aggressive-mode password SECRET\n set aggressive-mode client-endpoint ipv4-address 10.0.12.1`;
    pair = await ipsecPair({ r1Crypto: r1 });
    await pair.cmd("R1", "debug crypto isakmp");
    await pair.cmd("R2", "debug crypto isakmp");
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain(".!!!!");
    expect(await pair.cmd("R1", "show logging")).toContain("beginning Aggressive Mode exchange");
    expect(await pair.cmd("R2", "show logging")).toContain("IKE_AM_EXCH");
    for (const r of ["R1", "R2"] as const)
      expect(await pair.cmd(r, "show crypto isakmp sa")).toMatch(/10\.0\.12\.2\s+10\.0\.12\.1\s+QM_IDLE\s+1001 ACTIVE/);
    expect(await pair.cmd("R1", "show running-config | section crypto isakmp peer")).toContain(
      " set aggressive-mode client-endpoint ipv4-address 10.0.12.1",
    );
  });

  test("crypto isakmp aggressive-mode disable: the responder ignores aggressive offers", async () => {
    const r1 = `${standardCrypto(1)}\ncrypto isakmp peer address 10.0.12.2\n set aggressive-mode password SECRET`;
    pair = await ipsecPair({ r1Crypto: r1, r2Crypto: `${standardCrypto(2)}\ncrypto isakmp aggressive-mode disable` });
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0")).toContain("Success rate is 0 percent");
    expect(await pair.cmd("R1", "show crypto isakmp sa")).toMatch(/AG_INIT_EXCH/);
    expect(await pair.cmd("R2", "show crypto isakmp sa")).not.toContain("10.0.12.1");
  });
});
