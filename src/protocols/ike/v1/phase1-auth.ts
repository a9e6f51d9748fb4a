// IKEv1 authentication with RSA signatures (RFC 2409 5.1) for main mode:
// CERTREQ (X.509 signature) in messages 3 and 4, then in 5 and 6 the
// sender's CERT (its trustpoint's certificate, X.509 signature encoding) and
// SIG, the RSA signature of HASH_I or HASH_R with PKCS #1 v1.5 type-1
// padding around the hash itself (no DigestInfo, as IOS and strongSwan
// sign). The receiver believes the signature when the certificate checks
// out (peer-trust.ts: validity on the router's clock, self-signed or issued
// by a trustpoint's CA, its key in `crypto key pubkey-chain rsa` for that
// peer or its issuer imported), or, without a CERT, when the pubkey-chain
// holds a key for the peer's address. Refusals print IOS's lines:
// %CRYPTO-5-IKMP_INVAL_CERT for a certificate it will not take,
// %CRYPTO-4-IKMP_BAD_MESSAGE for a signature that does not verify, and the
// %CRYPTO-6-IKMP_NO_ID_CERT_ADDR_MATCH warning when the certificate does not
// carry the address the peer identifies itself with. Nothing here throws.

import { iosClockMs } from "../../../config/ios-clock.ts";
import { readIpv4 } from "../../../wire/ipv4-address.ts";
import type { IsakmpIdPayload, IsakmpPayload, IsakmpPayloadInput } from "../../../wire/isakmp.ts";
import { CERT_ENCODING, ID_TYPE } from "../../../wire/isakmp-constants.ts";
import { emitName, nameAttribute, X509_OID, type X509Certificate, type X509RsaPublicKey } from "../../../wire/x509.ts";
import { checkPeerCertificate, pubkeyEntriesFor } from "../../pki/peer-trust.ts";
import type { PkiConfig } from "../../pki/pki-config.ts";
import type { RsaKeyPair } from "../../pki/rsa-key-store.ts";
import { rsaSignRaw, rsaVerifyRaw } from "../../pki/rsa-sign.ts";
import { ip } from "./exchange-support.ts";
import type { IkeV1Engine } from "./ike-engine.ts";
import type { IsakmpSa } from "./isakmp-sa.ts";

/** The router's rsa-sig identity: a trustpoint's own certificate and the key pair whose public key it carries. */
export interface LocalSigner {
  trustpoint: string;
  cert: X509Certificate;
  pair: RsaKeyPair;
}

/** The first trustpoint (in configuration order) with a router certificate whose private key is here; null when none. */
export function localSigner(pki: PkiConfig): LocalSigner | null {
  for (const tp of pki.trustpoints.values()) {
    const c = pki.routerCertificate(tp);
    if (c === undefined) continue;
    const pair = pki.keys
      .all()
      .find((p) => p.usage !== "encryption" && p.key.n === c.cert.publicKey.n && p.key.e === c.cert.publicKey.e);
    if (pair !== undefined) return { trustpoint: tp.name, cert: c.cert, pair };
  }
  return null;
}

/** rsa-sig steps of main mode; the pre-shared key path stays in main-mode.ts. */
export class Phase1Auth {
  constructor(private readonly core: IkeV1Engine) {}

  /** Whether this SA authenticates with RSA signatures. */
  isRsaSig(sa: IsakmpSa): boolean {
    return sa.policy?.authentication === "rsa-sig";
  }

  /** Whether rsa-sig policies can be offered or accepted (a trustpoint has a certificate and its key). */
  canSign(): boolean {
    return localSigner(this.core.host.crypto.pki) !== null;
  }

  /** CERTREQ payloads for messages 3 and 4: one per CA certificate of a trustpoint, or one naming no CA. */
  certificateRequests(sa: IsakmpSa): IsakmpPayloadInput[] {
    if (!this.isRsaSig(sa)) return [];
    const pki = this.core.host.crypto.pki;
    const cas = [...pki.trustpoints.values()].flatMap((tp) => tp.chain.filter((c) => c.kind === "ca"));
    const data = cas.length === 0 ? [new Uint8Array(0)] : cas.map((c) => emitName(c.cert.subject));
    this.core.host.debugIsakmp(() => `ISAKMP:${sa.tag}: constructing CERT_REQ for peer ${ip(sa.peer)}`);
    return data.map((d) => ({ type: "certreq", encoding: CERT_ENCODING.X509_SIG, data: d }));
  }

  /**
   * CERT and SIG over `hash` (HASH_I or HASH_R) for message 5 or 6; null
   * when the router has no certificate to sign with any more.
   */
  proof(sa: IsakmpSa, hash: Uint8Array): IsakmpPayloadInput[] | null {
    const host = this.core.host;
    const signer = localSigner(host.crypto.pki);
    if (signer === null) {
      host.debugIsakmp(
        () => `ISAKMP:${sa.tag}:Unable to get router cert or routerdoes not have a cert: needed to find DN!`,
      );
      return null;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA is doing RSA signature authentication using id type ID_IPV4_ADDR`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: sending CERT payload (trustpoint ${signer.trustpoint})`);
    return [
      { type: "cert", encoding: CERT_ENCODING.X509_SIG, data: signer.cert.der },
      { type: "sig", data: rsaSignRaw(signer.pair.key, hash) },
    ];
  }

  /**
   * Checks the peer's CERT (if any) and SIG over `expected` (HASH_I or
   * HASH_R); true when the peer is authenticated. A refusal logs what IOS
   * logs and prints `SA authentication status: not authenticated`.
   */
  verify(sa: IsakmpSa, payloads: readonly IsakmpPayload[], id: IsakmpIdPayload, expected: Uint8Array): boolean {
    const host = this.core.host;
    const pki = host.crypto.pki;
    const refuse = (): false => {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      return false;
    };
    let key: X509RsaPublicKey | null = null;
    const cert = payloads.find((p): p is Extract<IsakmpPayload, { type: "cert" }> => p.type === "cert");
    if (cert !== undefined) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing CERT payload. message ID = 0`);
      if (cert.encoding !== CERT_ENCODING.X509_SIG) {
        host.debugIsakmp(() => `ISAKMP:${sa.tag}: certificate encoding ${cert.encoding} is not X.509 signature`);
        host.log(
          `%CRYPTO-5-IKMP_INVAL_CERT: Certificate received from ${ip(sa.peer)} is bad: certificate type not supported`,
        );
        return refuse();
      }
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing a CT_X509_SIGNATURE cert`);
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: peer's pubkey isn't cached`);
      const check = checkPeerCertificate(pki, cert.data, sa.peer, iosClockMs(host.now()));
      if (!check.ok) {
        host.debugIsakmp(
          () => `CRYPTO_PKI: certificate from ${ip(sa.peer)} refused (${check.reason}): ${check.detail}`,
        );
        host.log(
          `%CRYPTO-5-IKMP_INVAL_CERT: Certificate received from ${ip(sa.peer)} is bad: unknown error returned in certificate validation`,
        );
        return refuse();
      }
      host.debugIsakmp(() => `CRYPTO_PKI: certificate of ${ip(sa.peer)} trusted by ${check.trustedBy}`);
      this.warnIfIdNotInCertificate(id, check.cert);
      key = check.cert.publicKey;
    } else {
      // No certificate: a raw key configured for the peer's address (RSA signatures with manual keys).
      const entry = pubkeyEntriesFor(pki, sa.peer)[0];
      if (entry === undefined) {
        host.debugIsakmp(
          () => `ISAKMP:${sa.tag}: peer ${ip(sa.peer)} sent no certificate and no public key is configured for it`,
        );
        host.log(`%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(sa.peer)} failed its sanity check or is malformed`);
        return refuse();
      }
      key = entry.key;
    }
    const sig = payloads.find((p): p is Extract<IsakmpPayload, { type: "sig" }> => p.type === "sig");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SIG payload. message ID = 0`);
    if (sig === undefined || key === null || !rsaVerifyRaw(key, expected, sig.data)) {
      host.debugIsakmp(
        () => `ISAKMP:${sa.tag}: ${sig === undefined ? "no SIG payload" : "signature verification failed"}`,
      );
      host.log(`%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(sa.peer)} failed its sanity check or is malformed`);
      return refuse();
    }
    return true;
  }

  /** IOS warns (and goes on) when an address identity is not the certificate's ipaddress=. */
  private warnIfIdNotInCertificate(id: IsakmpIdPayload, cert: X509Certificate): void {
    if (id.idType !== ID_TYPE.IPV4_ADDR || id.data.length !== 4) return;
    const address = ip(readIpv4(id.data, 0));
    const certAddress = nameAttribute(cert.subject, X509_OID.UNSTRUCTURED_ADDRESS);
    if (certAddress === address) return;
    this.core.host.log(
      `%CRYPTO-6-IKMP_NO_ID_CERT_ADDR_MATCH: ID of ${address} (type 1) and certificate addr with${certAddress === undefined ? "" : ` ${certAddress}`}`,
    );
  }
}
