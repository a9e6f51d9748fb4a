// IKEv1 with RSA signatures between two routers: each generates a key pair
// and enrolls a self-signed certificate at boot; each trusts the other's key
// through `crypto key pubkey-chain rsa`. The tunnel comes up QM_IDLE with
// rsig; an untrusted or wrong key leaves both sides in MM_KEY_EXCH with
// IOS's lines; a router without a certificate cannot offer rsa-sig.

import { afterEach, describe, expect, test } from "bun:test";
import { hexWordLines } from "../../../src/config/crypto/pki-text.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import { type IpsecPair, ipsecPair } from "./ipsec-pair.ts";

let pair: IpsecPair | null = null;
afterEach(() => {
  pair?.close();
  pair = null;
});

/** rsa-sig crypto of one side: key pair, self-signed trustpoint, policy, map. */
export function rsaSigCrypto(n: 1 | 2, opts: { enroll?: boolean; policyExtra?: string } = {}): string {
  const peer = n === 1 ? 2 : 1;
  return [
    "ip domain name lab.local",
    `crypto key generate rsa label R${n}-KEY modulus 1024`,
    "crypto pki trustpoint TP",
    " enrollment selfsigned",
    ` subject-name CN=R${n}`,
    " revocation-check none",
    ` rsakeypair R${n}-KEY`,
    ...(opts.enroll === false ? [] : ["crypto pki enroll TP"]),
    "crypto isakmp policy 10",
    " encr aes 256",
    " authentication rsa-sig",
    " group 14",
    ...(opts.policyExtra === undefined ? [] : [opts.policyExtra]),
    "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
    "crypto map MAP 10 ipsec-isakmp",
    ` set peer 10.0.12.${peer}`,
    " set transform-set TS",
    " match address LANS",
  ].join("\n");
}

function publicKeyHex(r: RouterDevice): string[] {
  return hexWordLines(r.crypto.pki.keys.get(`${r.hostname}-KEY`)![0]!.publicDer, "  ");
}

/** Configures `addressed-key` on a router with the given key hex. */
async function trust(p: IpsecPair, router: "R1" | "R2", address: string, hex: string[]): Promise<void> {
  for (const line of [
    "configure terminal",
    "crypto key pubkey-chain rsa",
    `addressed-key ${address}`,
    "key-string",
    ...hex,
    "quit",
    "end",
  ]) {
    const out = await p.cmd(router, line);
    expect(out).not.toContain("%");
  }
}

function syslog(p: IpsecPair, text: string): string[] {
  return p.lab.syslog.map((l) => l.text).filter((t) => t.includes(text));
}

describe("IKEv1 rsa-sig", () => {
  test("trusted self-signed certificates: QM_IDLE with rsig, traffic flows both ways", async () => {
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1), r2Crypto: rsaSigCrypto(2) });
    await trust(pair, "R1", "10.0.12.2", publicKeyHex(pair.r2));
    await trust(pair, "R2", "10.0.12.1", publicKeyHex(pair.r1));
    await pair.cmd("R2", "debug crypto isakmp");
    const ping = await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 10");
    expect(ping).toContain("Success rate is 90 percent (9/10)");
    for (const r of ["R1", "R2"] as const) {
      expect(await pair.cmd(r, "show crypto isakmp sa")).toMatch(/QM_IDLE\s+1001 ACTIVE/);
      expect(await pair.cmd(r, "show crypto isakmp sa detail")).toMatch(
        /1001\s+10\.0\.12\.\d\s+10\.0\.12\.\d\s+ACTIVE aes\s+sha\s+rsig 14/,
      );
    }
    const log = await pair.cmd("R2", "show logging | include ISAKMP|CRYPTO");
    expect(log).toContain("processing a CT_X509_SIGNATURE cert");
    expect(log).toContain("SA is doing RSA signature authentication using id type ID_IPV4_ADDR");
    expect(log).toContain("SA authentication status:");
    // Our certificates carry no ipaddress=: IOS warns, and goes on.
    expect(
      syslog(pair, "%CRYPTO-6-IKMP_NO_ID_CERT_ADDR_MATCH: ID of 10.0.12.1 (type 1) and certificate addr with").length,
    ).toBeGreaterThan(0);
  });

  test("an untrusted certificate: the responder refuses message 5, both sides stay in MM_KEY_EXCH, retransmissions are refused again", async () => {
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1), r2Crypto: rsaSigCrypto(2) });
    await trust(pair, "R1", "10.0.12.2", publicKeyHex(pair.r2));
    await pair.cmd("R2", "debug crypto isakmp");
    const ping = await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 5");
    expect(ping).toContain("Success rate is 0 percent (0/5)");
    for (const r of ["R1", "R2"] as const) expect(await pair.cmd(r, "show crypto isakmp sa")).toMatch(/MM_KEY_EXCH/);
    expect(
      syslog(
        pair,
        "R2: %CRYPTO-5-IKMP_INVAL_CERT: Certificate received from 10.0.12.1 is bad: unknown error returned in certificate validation",
      ).length,
    ).toBe(1);
    const log = await pair.cmd("R2", "show logging");
    expect(log).toContain("refused (untrusted)");
    expect(log).toContain("SA authentication status:\n\tnot authenticated");
    await pair.lab.run(30e9);
    expect(syslog(pair, "R2: %CRYPTO-5-IKMP_INVAL_CERT").length).toBeGreaterThan(1);
    expect(await pair.cmd("R2", "show crypto isakmp sa")).toMatch(/MM_KEY_EXCH/);
  });

  test("a pubkey-chain key that is not the peer's: refused the same way", async () => {
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1), r2Crypto: rsaSigCrypto(2) });
    await trust(pair, "R1", "10.0.12.2", publicKeyHex(pair.r2));
    await trust(pair, "R2", "10.0.12.1", publicKeyHex(pair.r2));
    await pair.cmd("R2", "debug crypto isakmp");
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    expect(syslog(pair, "R2: %CRYPTO-5-IKMP_INVAL_CERT: Certificate received from 10.0.12.1 is bad").length).toBe(1);
    expect(await pair.cmd("R2", "show logging | include CRYPTO_PKI")).toContain(
      "refused (keyMismatch): public key differs from addressed-key 10.0.12.1",
    );
    for (const r of ["R1", "R2"] as const) expect(await pair.cmd(r, "show crypto isakmp sa")).toMatch(/MM_KEY_EXCH/);
  });

  test("the initiator refuses the responder's certificate in message 6: it stays in MM_KEY_EXCH", async () => {
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1), r2Crypto: rsaSigCrypto(2) });
    await trust(pair, "R2", "10.0.12.1", publicKeyHex(pair.r1));
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    expect(
      syslog(pair, "R1: %CRYPTO-5-IKMP_INVAL_CERT: Certificate received from 10.0.12.2 is bad").length,
    ).toBeGreaterThan(0);
    expect(await pair.cmd("R1", "show crypto isakmp sa")).toMatch(/MM_KEY_EXCH/);
    // The responder believed the initiator and finished its half, as IOS does.
    expect(await pair.cmd("R2", "show crypto isakmp sa")).toMatch(/QM_IDLE/);
  });

  test("no enrolled certificate: the initiator cannot offer rsa-sig, the responder does not accept it", async () => {
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1, { enroll: false }), r2Crypto: rsaSigCrypto(2) });
    await pair.cmd("R1", "debug crypto isakmp");
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 2");
    expect(await pair.cmd("R1", "show logging | include ISAKMP")).toContain("No Cert or pre-shared address key.");
    expect(await pair.cmd("R1", "show crypto isakmp sa")).not.toContain("10.0.12.2");
    pair.close();
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1), r2Crypto: rsaSigCrypto(2, { enroll: false }) });
    await pair.cmd("R2", "debug crypto isakmp");
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 2");
    const log = await pair.cmd("R2", "show logging | include ISAKMP");
    expect(log).toContain("ISAKMP:(0):No cert, and no keys (public or pre-shared) with remote peer 10.0.12.1");
    expect(log).toContain("ISAKMP:(0):no offers accepted!");
    expect(await pair.cmd("R1", "show crypto isakmp sa")).toMatch(/MM_NO_STATE/);
  });

  test("policies of both kinds: rsa-sig where both sides have certificates, psk where only keys match", async () => {
    const psk = (n: 1 | 2) =>
      `crypto isakmp policy 5\n encr aes 256\n authentication pre-share\n group 14\ncrypto isakmp key SECRET address 10.0.12.${n === 1 ? 2 : 1}`;
    pair = await ipsecPair({
      r1Crypto: `${psk(1)}\n${rsaSigCrypto(1)}`,
      r2Crypto: `${psk(2)}\n${rsaSigCrypto(2, { enroll: false })}`,
    });
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3");
    expect(await pair.cmd("R1", "show crypto isakmp sa detail")).toMatch(/ACTIVE aes\s+sha\s+psk\s+14/);
  });

  test("a router restarted after a crash keeps its key pair (private NVRAM) and signs again with it", async () => {
    pair = await ipsecPair({ r1Crypto: rsaSigCrypto(1), r2Crypto: rsaSigCrypto(2) });
    await trust(pair, "R1", "10.0.12.2", publicKeyHex(pair.r2));
    await trust(pair, "R2", "10.0.12.1", publicKeyHex(pair.r1));
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 3")).toContain(".!!");
    const before = await pair.cmd("R2", "show crypto key mypubkey rsa");
    // As an engineer would before risking it: R2 saves its running configuration (R1's trusted key, its certificate).
    expect(await pair.cmd("R2", "write memory")).toContain("[OK]");
    // R2's device actor throws on the next frame: the lab restarts it from its startup configuration.
    const crashed = pair.r2;
    crashed.stack.receive = () => {
      throw new Error("injected fault");
    };
    await pair.cmd("R1", "ping 10.0.12.2 repeat 1");
    await pair.lab.run(3e9);
    // The new instance renders the restart, with the reason, as IOS logs it.
    expect(
      syslog(
        pair,
        "R2: %SYS-5-RESTART: System restarted --\nSystem returned to ROM by error - a Software forced crash (Error: injected fault)",
      ).length,
    ).toBe(1);
    expect(pair.r2).not.toBe(crashed);
    // Same key pair (the generation time too): it came from private NVRAM, not from a new `generate`.
    expect(await pair.cmd("R2", "show crypto key mypubkey rsa")).toBe(before);
    // R1 starts over; R2 authenticates with the restored key and its certificate from the saved configuration.
    await pair.cmd("R1", "clear crypto sa");
    await pair.cmd("R1", "clear crypto isakmp");
    // The restarted R2 has an empty ARP cache (its first packet to R1 would be dropped, as IOS drops it).
    await pair.cmd("R2", "ping 10.0.12.1 repeat 2");
    expect(await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 5")).toContain(".!!!!");
    expect(await pair.cmd("R2", "show crypto isakmp sa detail")).toMatch(/ACTIVE aes\s+sha\s+rsig 14/);
  });
});
