// Whether to believe a peer's certificate (IKEv1 rsa-sig): it must parse, be
// within its validity on the router's clock, be signed by its own key
// (self-signed) or by a CA certificate of a local trustpoint, and its public
// key must be trusted: a `crypto key pubkey-chain rsa` entry for that peer
// (addressed-key or `address` = the peer's address, or named-key = the
// certificate's hostname= or cn=) holding the same key, or an issuer imported
// as `certificate ca` into a trustpoint. Also which pubkey-chain key to use
// for a peer that sends no certificate. Nothing here throws.

import {
  nameAttribute,
  parseCertificate,
  sameName,
  X509_OID,
  X509_SIGNATURE_DIGEST,
  type X509Certificate,
  type X509RsaPublicKey,
} from "../../wire/x509.ts";
import type { PkiConfig, PubkeyChainEntry } from "./pki-config.ts";
import { rsaVerifyDigest } from "./rsa-sign.ts";

/** Why a certificate is refused (closed, for debug lines and tests). */
export type CertificateRefusal =
  | "unparseable"
  | "notYetValid"
  | "expired"
  | "unknownIssuer"
  | "badSignature"
  | "untrusted"
  | "keyMismatch";

/** The verdict on a peer's certificate. */
export type PeerCertificateCheck =
  | { ok: true; cert: X509Certificate; trustedBy: string }
  | { ok: false; reason: CertificateRefusal; detail: string; cert?: X509Certificate };

function sameKey(a: X509RsaPublicKey, b: X509RsaPublicKey): boolean {
  return a.n === b.n && a.e === b.e;
}

function signs(issuer: X509RsaPublicKey, cert: X509Certificate): boolean {
  const digest = X509_SIGNATURE_DIGEST[cert.signatureAlgorithm];
  return digest !== undefined && rsaVerifyDigest(issuer, digest, cert.tbs, cert.signatureValue);
}

/** Pubkey-chain entries that speak for a peer: by address, or by the certificate's names. */
export function pubkeyEntriesFor(pki: PkiConfig, peer: number, cert?: X509Certificate): PubkeyChainEntry[] {
  const names =
    cert === undefined
      ? []
      : [nameAttribute(cert.subject, X509_OID.UNSTRUCTURED_NAME), nameAttribute(cert.subject, X509_OID.COMMON_NAME)]
          .filter((n): n is string => n !== undefined)
          .map((n) => n.toLowerCase());
  return pki.pubkeyChain.filter(
    (e) =>
      e.key !== null &&
      e.usage !== "encryption" &&
      (e.address === peer || (e.kind === "named" && names.includes(e.name.toLowerCase()))),
  );
}

/** Checks a peer's certificate (DER from its CERT payload) at `nowMs` on the router's clock. */
export function checkPeerCertificate(
  pki: PkiConfig,
  der: Uint8Array,
  peer: number,
  nowMs: number,
): PeerCertificateCheck {
  const parsed = parseCertificate(der);
  if (!parsed.ok) return { ok: false, reason: "unparseable", detail: parsed.error.detail };
  const cert = parsed.value;
  if (nowMs < cert.notBeforeMs)
    return { ok: false, reason: "notYetValid", detail: "certificate is not yet valid", cert };
  if (nowMs > cert.notAfterMs) return { ok: false, reason: "expired", detail: "certificate has expired", cert };
  const selfSigned = sameName(cert.issuer, cert.subject);
  const cas = [...pki.trustpoints.values()].flatMap((tp) =>
    tp.chain.filter((c) => c.kind === "ca").map((c) => ({ tp, cert: c.cert })),
  );
  const issuer = selfSigned ? undefined : cas.find((ca) => sameName(ca.cert.subject, cert.issuer));
  if (!selfSigned && issuer === undefined)
    return { ok: false, reason: "unknownIssuer", detail: "issuer is not a CA of any trustpoint", cert };
  if (!signs(issuer?.cert.publicKey ?? cert.publicKey, cert))
    return { ok: false, reason: "badSignature", detail: "certificate signature does not verify", cert };
  if (issuer !== undefined) return { ok: true, cert, trustedBy: `trustpoint ${issuer.tp.name}` };
  const anchor = cas.find(
    (ca) => sameKey(ca.cert.publicKey, cert.publicKey) && sameName(ca.cert.subject, cert.subject),
  );
  if (anchor !== undefined) return { ok: true, cert, trustedBy: `trustpoint ${anchor.tp.name}` };
  const entries = pubkeyEntriesFor(pki, peer, cert);
  const match = entries.find((e) => sameKey(e.key!, cert.publicKey));
  if (match !== undefined) return { ok: true, cert, trustedBy: `${match.kind}-key ${match.name}` };
  if (entries.length > 0)
    return {
      ok: false,
      reason: "keyMismatch",
      detail: `public key differs from ${entries[0]!.kind}-key ${entries[0]!.name}`,
      cert,
    };
  return {
    ok: false,
    reason: "untrusted",
    detail: "self-signed certificate with no pubkey-chain key or trustpoint for the peer",
    cert,
  };
}
