// X.509: a real IOS self-signed certificate parses, its signature verifies,
// and emitting its fields gives back the same bytes; certificates we build
// and sign with a generated key are accepted by node:crypto's
// X509Certificate (parse, subject, validity, verify); every truncation and
// random corruption is a typed error, never an exception.
import { describe, expect, test } from "bun:test";
import { createPublicKey, X509Certificate as NodeX509 } from "node:crypto";
import fc from "fast-check";
import { generateRsaKey } from "../../src/protocols/pki/rsa-keygen.ts";
import { rsaPublicJwk, rsaSignSha256, rsaVerifyDigest } from "../../src/protocols/pki/rsa-sign.ts";
import { SeededRandom } from "../../src/runtime/random.ts";
import {
  basicConstraintsExtension,
  emitCertificate,
  emitSubjectPublicKeyInfo,
  emitTbsCertificate,
  nameAttribute,
  parseCertificate,
  parseSubjectPublicKeyInfo,
  readBasicConstraints,
  sameName,
  subjectKeyIdentifierExtension,
  X509_OID,
  type X509TbsFields,
} from "../../src/wire/x509.ts";
import { IOS_SELF_SIGNED_DER } from "../vectors/x509/ios-self-signed.ts";

const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rng = new SeededRandom(5);
const key = generateRsaKey(1024, (n) => rng.fill(new Uint8Array(n)));

function fields(over: Partial<X509TbsFields> = {}): X509TbsFields {
  const name = [
    { type: X509_OID.COMMON_NAME, value: "R1" },
    { type: X509_OID.UNSTRUCTURED_NAME, value: "R1.lab.local" },
  ];
  return {
    serial: 1n,
    signatureAlgorithm: X509_OID.SHA256_WITH_RSA,
    issuer: name,
    subject: name,
    notBeforeMs: Date.UTC(1993, 2, 1, 0, 0, 5),
    notAfterMs: Date.UTC(2020, 0, 1),
    publicKey: { n: key.n, e: key.e },
    extensions: [basicConstraintsExtension(true), subjectKeyIdentifierExtension(new Uint8Array(20).fill(7))],
    ...over,
  };
}

function signed(f: X509TbsFields = fields()): Uint8Array {
  const tbs = emitTbsCertificate(f);
  return emitCertificate(tbs, f.signatureAlgorithm, rsaSignSha256(key, tbs));
}

describe("a certificate from a real IOS router", () => {
  const r = parseCertificate(IOS_SELF_SIGNED_DER);
  test("parses with IOS's fields", () => {
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value;
    expect(c.version).toBe(3);
    expect(c.serial).toBe(1n);
    expect(c.signatureAlgorithm).toBe(X509_OID.SHA1_WITH_RSA);
    expect(nameAttribute(c.subject, X509_OID.COMMON_NAME)).toBe("IOS-Self-Signed-Certificate-35466579");
    expect(sameName(c.issuer, c.subject)).toBe(true);
    expect(c.notBeforeMs).toBe(Date.UTC(2018, 2, 28, 16, 34, 52));
    expect(c.notAfterMs).toBe(Date.UTC(2020, 0, 1));
    expect(c.publicKey.e).toBe(65537n);
    expect(c.publicKey.n.toString(2).length).toBe(2048);
    expect(readBasicConstraints(c)).toEqual({ ok: true, value: { ca: true } });
    expect(c.extensions.map((x) => x.oid)).toEqual([
      X509_OID.BASIC_CONSTRAINTS,
      X509_OID.AUTHORITY_KEY_IDENTIFIER,
      X509_OID.SUBJECT_KEY_IDENTIFIER,
    ]);
  });
  test("its signature verifies over the TBSCertificate bytes", () => {
    if (!r.ok) throw new Error("parse");
    expect(rsaVerifyDigest(r.value.publicKey, "sha1", r.value.tbs, r.value.signatureValue)).toBe(true);
    const tampered = r.value.tbs.slice();
    tampered[20]! ^= 1;
    expect(rsaVerifyDigest(r.value.publicKey, "sha1", tampered, r.value.signatureValue)).toBe(false);
  });
  test("emitting its fields gives the same bytes", () => {
    if (!r.ok) throw new Error("parse");
    const tbs = emitTbsCertificate(r.value);
    expect(toHex(tbs)).toBe(toHex(r.value.tbs));
    expect(toHex(emitCertificate(tbs, r.value.signatureAlgorithm, r.value.signatureValue))).toBe(
      toHex(IOS_SELF_SIGNED_DER),
    );
  });
});

describe("certificates we sign", () => {
  test("node:crypto parses them and verifies the signature with the key", () => {
    const der = signed();
    const c = new NodeX509(der);
    expect(c.subject).toContain("CN=R1");
    expect(c.serialNumber).toBe("01");
    expect(new Date(c.validFrom).getTime()).toBe(Date.UTC(1993, 2, 1, 0, 0, 5));
    expect(new Date(c.validTo).getTime()).toBe(Date.UTC(2020, 0, 1));
    expect(c.ca).toBe(true);
    expect(c.verify(createPublicKey({ key: rsaPublicJwk(key), format: "jwk" }))).toBe(true);
    expect(c.checkIssued(c)).toBe(true);
    const other = generateRsaKey(512, (n) => rng.fill(new Uint8Array(n)));
    expect(c.verify(createPublicKey({ key: rsaPublicJwk(other), format: "jwk" }))).toBe(false);
  });
  test("parse(emit(x)) gives x back", () => {
    const der = signed();
    const r = parseCertificate(der);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.subject.map(({ type, value }) => ({ type, value }))).toEqual(fields().subject);
    expect(r.value.publicKey).toEqual({ n: key.n, e: key.e });
    expect(toHex(r.value.der)).toBe(toHex(der));
    expect(rsaVerifyDigest(r.value.publicKey, "sha256", r.value.tbs, r.value.signatureValue)).toBe(true);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 1n << 150n }),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 0, max: 4e12 }),
        (serial, cn, t) => {
          const ms = Math.floor(t / 1000) * 1000;
          const f = fields({
            serial,
            subject: [{ type: X509_OID.COMMON_NAME, value: cn }],
            notBeforeMs: ms,
            notAfterMs: ms + 1000,
            extensions: [],
          });
          const p = parseCertificate(emitCertificate(emitTbsCertificate(f), f.signatureAlgorithm, new Uint8Array(128)));
          return (
            p.ok &&
            p.value.serial === serial &&
            p.value.subject[0]!.value === cn &&
            p.value.notBeforeMs === ms &&
            p.value.extensions.length === 0
          );
        },
      ),
      { numRuns: 200 },
    );
  });
  test("SubjectPublicKeyInfo round trip, and node:crypto reads ours as its own", () => {
    const spki = emitSubjectPublicKeyInfo(key);
    expect(parseSubjectPublicKeyInfo(spki)).toEqual({ ok: true, value: { n: key.n, e: key.e } });
    const theirs = createPublicKey({ key: rsaPublicJwk(key), format: "jwk" }).export({ format: "der", type: "spki" });
    expect(toHex(spki)).toBe(toHex(theirs));
    expect(toHex(spki).toUpperCase().startsWith("30819F300D06092A864886F70D010101050003818D0030818902818100")).toBe(
      true,
    );
  });
});

describe("bad input is a typed error, never a throw", () => {
  const der = signed();
  test("every truncation", () => {
    for (let n = 0; n < der.length; n++) {
      const r = parseCertificate(der.subarray(0, n));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.format).toBe("x509");
        expect(r.error.detail.startsWith("certificate: ")).toBe(true);
      }
    }
  });
  test("named errors", () => {
    const wrongKey = fields();
    const r = parseSubjectPublicKeyInfo(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.detail).toContain("SubjectPublicKeyInfo");
    const mismatch = emitCertificate(emitTbsCertificate(wrongKey), X509_OID.SHA1_WITH_RSA, new Uint8Array(8));
    const m = parseCertificate(mismatch);
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.error.detail).toContain("inside");
  });
  test("random corruption (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (flips) => {
          const b = der.slice();
          for (const [i, v] of flips) b[i] = v;
          const r = parseCertificate(b);
          if (!r.ok) return r.error.detail.length > 0;
          readBasicConstraints(r.value);
          return true;
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        parseSubjectPublicKeyInfo(b);
        const r = parseCertificate(b);
        return !r.ok || r.value.der.length === b.length;
      }),
      { numRuns: 2000 },
    );
  });
});
