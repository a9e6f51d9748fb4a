// Trusting a peer's certificate: a self-signed certificate is believed when a
// pubkey-chain entry for the peer (by address, or by the certificate's
// hostname or cn) holds its key, or when a trustpoint holds it as a CA; a
// certificate issued by a trustpoint's CA is believed when the CA's key
// signed it; expired, not yet valid, tampered and unparseable ones are not.
// And Phase1Auth.verify, the IKE side, on a stub engine: the CERT payload
// path, the raw-key path without a CERT, and the refusals with IOS's lines.

import { describe, expect, test } from "bun:test";
import type { IkeV1Engine } from "../../../src/protocols/ike/v1/ike-engine.ts";
import type { IsakmpSa } from "../../../src/protocols/ike/v1/isakmp-sa.ts";
import { Phase1Auth } from "../../../src/protocols/ike/v1/phase1-auth.ts";
import { CryptoConfig } from "../../../src/protocols/ipsec/crypto-config.ts";
import { checkPeerCertificate } from "../../../src/protocols/pki/peer-trust.ts";
import { newTrustpoint, PkiConfig, type PubkeyChainEntry } from "../../../src/protocols/pki/pki-config.ts";
import { type RsaKeyPair, RsaKeyStore } from "../../../src/protocols/pki/rsa-key-store.ts";
import { rsaSignRaw, rsaSignSha256 } from "../../../src/protocols/pki/rsa-sign.ts";
import { selfSignedCertificate, selfSignedSubject } from "../../../src/protocols/pki/self-signed.ts";
import { SeededRandom } from "../../../src/runtime/random.ts";
import type { IsakmpIdPayload, IsakmpPayload } from "../../../src/wire/isakmp.ts";
import {
  emitCertificate,
  emitTbsCertificate,
  parseCertificate,
  X509_OID,
  type X509Certificate,
} from "../../../src/wire/x509.ts";

const PEER = 0x0a000c02;
const NOW = Date.UTC(1993, 2, 1, 0, 1);
const rng = new SeededRandom(11);
const random = (n: number) => rng.fill(new Uint8Array(n));
const store = new RsaKeyStore();
const pair = (label: string): RsaKeyPair =>
  store.generate({ label, bits: 512, usageKeys: false, exportable: false, now: 0, random })[0]!;
const peerPair = pair("PEER");
const otherPair = pair("OTHER");
const caPair = pair("CA");

function selfSigned(p: RsaKeyPair, cn = "R2", at = NOW - 60_000): X509Certificate {
  return selfSignedCertificate(
    p,
    selfSignedSubject([{ type: X509_OID.COMMON_NAME, value: cn }], `${cn}.lab.local`),
    1n,
    at,
  );
}

function entry(kind: PubkeyChainEntry["kind"], name: string, p: RsaKeyPair, address: number | null): PubkeyChainEntry {
  return { kind, name, usage: "general", address, keyDer: p.publicDer, key: { n: p.key.n, e: p.key.e } };
}

describe("checkPeerCertificate", () => {
  const cert = selfSigned(peerPair);
  test("self-signed, trusted by an addressed-key, a named-key (hostname or cn), or a trustpoint CA copy", () => {
    for (const e of [
      entry("addressed", "10.0.12.2", peerPair, PEER),
      entry("named", "R2.LAB.LOCAL", peerPair, null),
      entry("named", "r2", peerPair, null),
    ]) {
      const pki = new PkiConfig();
      pki.pubkeyChain.push(e);
      const r = checkPeerCertificate(pki, cert.der, PEER, NOW);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.trustedBy).toBe(`${e.kind}-key ${e.name}`);
    }
    const pki = new PkiConfig();
    const tp = newTrustpoint("PEER-CA");
    tp.chain.push({ kind: "ca", serialText: "01", cert });
    pki.trustpoints.set(tp.name, tp);
    expect(checkPeerCertificate(pki, cert.der, PEER, NOW)).toMatchObject({ ok: true, trustedBy: "trustpoint PEER-CA" });
  });
  test("refusals, each with its reason", () => {
    const pki = new PkiConfig();
    expect(checkPeerCertificate(pki, cert.der, PEER, NOW)).toMatchObject({ ok: false, reason: "untrusted" });
    pki.pubkeyChain.push(entry("addressed", "10.0.12.2", otherPair, PEER));
    expect(checkPeerCertificate(pki, cert.der, PEER, NOW)).toMatchObject({ ok: false, reason: "keyMismatch" });
    // An encryption-only key does not vouch for signatures.
    const enc = new PkiConfig();
    enc.pubkeyChain.push({ ...entry("addressed", "10.0.12.2", peerPair, PEER), usage: "encryption" });
    expect(checkPeerCertificate(enc, cert.der, PEER, NOW)).toMatchObject({ ok: false, reason: "untrusted" });
    const ok = new PkiConfig();
    ok.pubkeyChain.push(entry("addressed", "10.0.12.2", peerPair, PEER));
    expect(checkPeerCertificate(ok, cert.der, PEER, Date.UTC(1993, 1, 1))).toMatchObject({
      ok: false,
      reason: "notYetValid",
    });
    expect(checkPeerCertificate(ok, cert.der, PEER, Date.UTC(2021, 0, 1))).toMatchObject({
      ok: false,
      reason: "expired",
    });
    const tampered = cert.der.slice();
    tampered[tampered.length - 5]! ^= 0x40;
    expect(checkPeerCertificate(ok, tampered, PEER, NOW)).toMatchObject({ ok: false, reason: "badSignature" });
    expect(checkPeerCertificate(ok, cert.der.subarray(0, 40), PEER, NOW)).toMatchObject({
      ok: false,
      reason: "unparseable",
    });
  });
  test("issued by a trustpoint's CA: believed when the CA signed it, refused otherwise", () => {
    const ca = selfSigned(caPair, "LAB-CA");
    const pki = new PkiConfig();
    const tp = newTrustpoint("LAB");
    tp.chain.push({ kind: "ca", serialText: "01", cert: ca });
    pki.trustpoints.set(tp.name, tp);
    const fields = { ...cert, issuer: ca.subject, serial: 7n, extensions: [] };
    const tbs = emitTbsCertificate(fields);
    const issued = emitCertificate(tbs, X509_OID.SHA256_WITH_RSA, rsaSignSha256(caPair.key, tbs));
    expect(parseCertificate(issued).ok).toBe(true);
    expect(checkPeerCertificate(pki, issued, PEER, NOW)).toMatchObject({ ok: true, trustedBy: "trustpoint LAB" });
    const forged = emitCertificate(tbs, X509_OID.SHA256_WITH_RSA, rsaSignSha256(peerPair.key, tbs));
    expect(checkPeerCertificate(pki, forged, PEER, NOW)).toMatchObject({ ok: false, reason: "badSignature" });
    expect(checkPeerCertificate(new PkiConfig(), issued, PEER, NOW)).toMatchObject({
      ok: false,
      reason: "unknownIssuer",
    });
  });
});

describe("Phase1Auth.verify", () => {
  const id: IsakmpIdPayload = {
    type: "id",
    idType: 1,
    protocolId: 17,
    port: 500,
    data: new Uint8Array([10, 0, 12, 2]),
    body: new Uint8Array(8),
  };
  const hash = new Uint8Array(20).fill(9);
  function engine(pki: (c: CryptoConfig) => void) {
    const logs: string[] = [];
    const debug: string[] = [];
    const crypto = new CryptoConfig();
    pki(crypto);
    const core = {
      host: {
        crypto,
        now: () => 60e9,
        log: (t: string) => logs.push(t),
        debugIsakmp: (l: () => string) => debug.push(l()),
      },
    } as unknown as IkeV1Engine;
    const sa = { peer: PEER, tag: "(1001)", policy: { authentication: "rsa-sig" } } as unknown as IsakmpSa;
    return { auth: new Phase1Auth(core), sa, logs, debug };
  }
  const certPayload = (der: Uint8Array, encoding = 4): IsakmpPayload => ({
    type: "cert",
    encoding,
    data: der,
    body: der,
  });
  const sig = (p: RsaKeyPair, h = hash): IsakmpPayload => ({
    type: "sig",
    data: rsaSignRaw(p.key, h),
    body: new Uint8Array(0),
  });
  const trusting = (c: CryptoConfig) => void c.pki.pubkeyChain.push(entry("addressed", "10.0.12.2", peerPair, PEER));

  test("CERT + SIG from a trusted peer (the ID not in the certificate is only a warning)", () => {
    const t = engine(trusting);
    expect(t.auth.verify(t.sa, [certPayload(selfSigned(peerPair).der), sig(peerPair)], id, hash)).toBe(true);
    expect(t.logs).toEqual([
      "%CRYPTO-6-IKMP_NO_ID_CERT_ADDR_MATCH: ID of 10.0.12.2 (type 1) and certificate addr with",
    ]);
  });
  test("no CERT: the pubkey-chain key of the peer's address verifies the SIG", () => {
    const t = engine(trusting);
    expect(t.auth.verify(t.sa, [sig(peerPair)], id, hash)).toBe(true);
    expect(t.logs).toEqual([]);
  });
  test("a SIG by another key, a SIG over another hash, no SIG: IKMP_BAD_MESSAGE, not authenticated", () => {
    for (const payloads of [[sig(otherPair)], [sig(peerPair, new Uint8Array(20))], []]) {
      const t = engine(trusting);
      expect(t.auth.verify(t.sa, [certPayload(selfSigned(peerPair).der), ...payloads], id, hash)).toBe(false);
      expect(t.logs.at(-1)).toBe(
        "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.0.12.2 failed its sanity check or is malformed",
      );
      expect(t.debug.at(-1)).toBe("ISAKMP:(1001):SA authentication status:\n\tnot authenticated");
    }
  });
  test("no CERT and no key for the peer; a CERT of another encoding; garbage in the CERT", () => {
    const none = engine(() => {});
    expect(none.auth.verify(none.sa, [sig(peerPair)], id, hash)).toBe(false);
    expect(none.logs).toEqual([
      "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.0.12.2 failed its sanity check or is malformed",
    ]);
    const pgp = engine(trusting);
    expect(pgp.auth.verify(pgp.sa, [certPayload(selfSigned(peerPair).der, 2), sig(peerPair)], id, hash)).toBe(false);
    expect(pgp.logs).toEqual([
      "%CRYPTO-5-IKMP_INVAL_CERT: Certificate received from 10.0.12.2 is bad: certificate type not supported",
    ]);
    const junk = engine(trusting);
    expect(junk.auth.verify(junk.sa, [certPayload(new Uint8Array([0x30, 0x80, 1, 2])), sig(peerPair)], id, hash)).toBe(
      false,
    );
    expect(junk.logs).toEqual([
      "%CRYPTO-5-IKMP_INVAL_CERT: Certificate received from 10.0.12.2 is bad: unknown error returned in certificate validation",
    ]);
    expect(junk.debug.some((l) => l.includes("refused (unparseable)"))).toBe(true);
  });
  test("the certificate's ipaddress= matching the ID: no warning", () => {
    const t = engine(trusting);
    const cert = selfSignedCertificate(
      peerPair,
      [
        { type: X509_OID.COMMON_NAME, value: "R2" },
        { type: X509_OID.UNSTRUCTURED_ADDRESS, value: "10.0.12.2" },
      ],
      1n,
      NOW - 1000,
    );
    expect(t.auth.verify(t.sa, [certPayload(cert.der), sig(peerPair)], id, hash)).toBe(true);
    expect(t.logs).toEqual([]);
  });
});
