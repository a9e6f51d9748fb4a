// A router's self-signed certificate, as `crypto pki enroll` makes it for a
// trustpoint with `enrollment selfsigned`: issuer = subject (the trustpoint's
// `subject-name`, then `hostname=<FQDN>` unless `fqdn none`, then `ipaddress=`
// with `ip-address`), valid from now on the router's clock until 00:00:00 UTC Jan 1 2020 as IOS 15 sets it (ten
// years from now for a clock already past that), basicConstraints CA:TRUE
// (critical), authority and subject key identifiers (SHA-1 of the public key
// bits, RFC 5280 4.2.1.2 method 1), signed sha256WithRSAEncryption with the
// trustpoint's key pair. The result is parsed back, so what is stored is
// exactly what a peer will parse.

import { createHash } from "node:crypto";
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  emitCertificate,
  emitRsaPublicKey,
  emitTbsCertificate,
  parseCertificate,
  subjectKeyIdentifierExtension,
  X509_OID,
  type X509Certificate,
  type X509Name,
} from "../../wire/x509.ts";
import type { RsaKeyPair } from "./rsa-key-store.ts";
import { rsaSignSha256 } from "./rsa-sign.ts";

/** IOS 15's end date for self-signed certificates. */
export const SELF_SIGNED_NOT_AFTER_MS = Date.UTC(2020, 0, 1, 0, 0, 0);
const TEN_YEARS_MS = 3652 * 86_400_000;

/** The subject IOS puts in a self-signed certificate: the configured attributes, then `hostname=FQDN` unless left out, then `ipaddress=`. */
export function selfSignedSubject(
  configured: X509Name | null,
  fqdn: string | null,
  ipAddress: string | null = null,
): X509Name {
  const name: X509Name = [...(configured ?? [])];
  if (fqdn !== null) name.push({ type: X509_OID.UNSTRUCTURED_NAME, value: fqdn });
  if (ipAddress !== null) name.push({ type: X509_OID.UNSTRUCTURED_ADDRESS, value: ipAddress });
  return name;
}

/** Builds, signs and parses back a self-signed certificate. */
export function selfSignedCertificate(
  pair: RsaKeyPair,
  subject: X509Name,
  serial: bigint,
  nowMs: number,
): X509Certificate {
  const notBeforeMs = Math.floor(nowMs / 1000) * 1000;
  const notAfterMs = notBeforeMs < SELF_SIGNED_NOT_AFTER_MS ? SELF_SIGNED_NOT_AFTER_MS : notBeforeMs + TEN_YEARS_MS;
  const keyId = new Uint8Array(createHash("sha1").update(emitRsaPublicKey(pair.key)).digest());
  const tbs = emitTbsCertificate({
    serial,
    signatureAlgorithm: X509_OID.SHA256_WITH_RSA,
    issuer: subject,
    subject,
    notBeforeMs,
    notAfterMs,
    publicKey: { n: pair.key.n, e: pair.key.e },
    extensions: [
      basicConstraintsExtension(true),
      authorityKeyIdentifierExtension(keyId),
      subjectKeyIdentifierExtension(keyId),
    ],
  });
  const parsed = parseCertificate(emitCertificate(tbs, X509_OID.SHA256_WITH_RSA, rsaSignSha256(pair.key, tbs)));
  if (!parsed.ok) throw new Error(`self-signed certificate does not parse back: ${parsed.error.detail}`);
  return parsed.value;
}
