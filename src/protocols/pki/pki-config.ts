// What a router's PKI configuration says, as the IKE engine reads it and
// `show running-config` prints it back: trustpoints (`crypto pki trustpoint`,
// with the certificates of `crypto pki certificate chain`), peers' public keys
// (`crypto key pubkey-chain rsa`), and the router's own key pairs (which IOS
// keeps in private NVRAM rather than in the configuration). Also the parsing
// of `subject-name` text into an X.509 name.

import {
  parseCertificate,
  parseSubjectPublicKeyInfo,
  X509_OID,
  type X509Certificate,
  type X509Name,
  type X509RsaPublicKey,
} from "../../wire/x509.ts";
import { RsaKeyStore } from "./rsa-key-store.ts";

/** `addressed-key A [encryption|signature]` or `named-key NAME [...]` under `crypto key pubkey-chain rsa`. */
export interface PubkeyChainEntry {
  kind: "addressed" | "named";
  /** The address as typed (addressed-key) or the name (named-key). */
  name: string;
  usage: "general" | "signature" | "encryption";
  /** `address A.B.C.D` under the entry; an addressed-key's own address otherwise. */
  address: number | null;
  /** The key-string as a DER SubjectPublicKeyInfo, and its numbers; null until a valid key-string ends with `quit`. */
  keyDer: Uint8Array | null;
  key: X509RsaPublicKey | null;
}

/** One certificate of a trustpoint's chain (`certificate self-signed 01`, `certificate ca 01`, `certificate 02`). */
export interface PkiChainCertificate {
  kind: "self-signed" | "ca" | "router";
  /** The serial as typed after the keyword (hex). */
  serialText: string;
  cert: X509Certificate;
}

/** `crypto pki trustpoint NAME`. */
export interface Trustpoint {
  name: string;
  enrollment: "selfsigned" | "terminal" | null;
  /** `subject-name` as typed. */
  subjectName: string | null;
  /** `rsakeypair LABEL [bits]`. */
  rsaKeypair: { label: string; bits?: number } | null;
  revocationCheck: "none" | "crl" | null;
  /** `fqdn none` leaves the router's name out of the certificate. */
  fqdnNone: boolean;
  /** `ip-address A.B.C.D`: the certificate carries `ipaddress=` (IOS then does not ask for one). */
  ipAddress: number | null;
  /** `crypto pki certificate chain NAME`. */
  chain: PkiChainCertificate[];
}

/** A new trustpoint with nothing set. */
export function newTrustpoint(name: string): Trustpoint {
  return {
    name,
    enrollment: null,
    subjectName: null,
    rsaKeypair: null,
    revocationCheck: null,
    fqdnNone: false,
    ipAddress: null,
    chain: [],
  };
}

/** The PKI state of one router. */
export class PkiConfig {
  /** The router's own key pairs. */
  readonly keys = new RsaKeyStore();
  /** Trustpoints in the order they were configured. */
  readonly trustpoints = new Map<string, Trustpoint>();
  /** `crypto key pubkey-chain rsa` entries in configuration order. */
  readonly pubkeyChain: PubkeyChainEntry[] = [];
  /** Serial of the next self-signed certificate (IOS numbers them from 01 per router). */
  nextSelfSignedSerial = 1;

  /** The pubkey-chain entry of a kind and name, if any. */
  pubkeyEntry(kind: PubkeyChainEntry["kind"], name: string): PubkeyChainEntry | undefined {
    return this.pubkeyChain.find((e) => e.kind === kind && e.name.toLowerCase() === name.toLowerCase());
  }

  /** The key label a trustpoint uses: its `rsakeypair`, else the router's default (FQDN) keys. */
  keyLabelOf(tp: Trustpoint, defaultLabel: string): string {
    return tp.rsaKeypair?.label ?? defaultLabel;
  }

  /** The router's own certificate of a trustpoint (self-signed or issued to it). */
  routerCertificate(tp: Trustpoint): PkiChainCertificate | undefined {
    return tp.chain.find((c) => c.kind !== "ca");
  }
}

/** Sets an entry's key from key-string hex; an error text when it is not an RSA SubjectPublicKeyInfo. */
export function setPubkeyFromHex(entry: PubkeyChainEntry, hexText: string): string | null {
  const der = hexToBytes(hexText);
  if (der === null) return "the key-string is not hexadecimal";
  const key = parseSubjectPublicKeyInfo(der);
  if (!key.ok) return key.error.detail;
  entry.keyDer = der;
  entry.key = key.value;
  return null;
}

/** A chain certificate from `certificate ...` hex; an error text when it does not parse. */
export function chainCertificateFromHex(
  kind: PkiChainCertificate["kind"],
  serialText: string,
  hexText: string,
): PkiChainCertificate | string {
  const der = hexToBytes(hexText);
  if (der === null) return "the certificate is not hexadecimal";
  const cert = parseCertificate(der);
  if (!cert.ok) return cert.error.detail;
  return { kind, serialText, cert: cert.value };
}

/** Hex words (any spacing, either case) as bytes; null on a stray character or an odd digit count. */
export function hexToBytes(text: string): Uint8Array | null {
  const digits = text.replace(/\s+/g, "");
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) return null;
  return Uint8Array.from(Buffer.from(digits, "hex"));
}

/** Attribute names `subject-name` takes (IOS's spelling first), and their types. */
const SUBJECT_ATTRIBUTES: Readonly<Record<string, string>> = {
  cn: X509_OID.COMMON_NAME,
  ou: X509_OID.ORGANIZATIONAL_UNIT,
  o: X509_OID.ORGANIZATION,
  c: X509_OID.COUNTRY,
  l: X509_OID.LOCALITY,
  st: X509_OID.STATE,
  serialnumber: X509_OID.SERIAL_NUMBER,
  e: X509_OID.EMAIL,
  ea: X509_OID.EMAIL,
  hostname: X509_OID.UNSTRUCTURED_NAME,
  unstructuredname: X509_OID.UNSTRUCTURED_NAME,
  ipaddress: X509_OID.UNSTRUCTURED_ADDRESS,
};

/** `subject-name CN=R1,OU=lab` as an X.509 name (in the order typed); null when it is not X.500 (LDAP) text. */
export function parseSubjectName(text: string): X509Name | null {
  const parts = text.split(",").map((p) => p.trim());
  const out: X509Name = [];
  for (const part of parts) {
    const m = /^([A-Za-z]+)\s*=\s*(.+)$/.exec(part);
    if (m === null) return null;
    const type = SUBJECT_ATTRIBUTES[m[1]!.toLowerCase()];
    if (type === undefined) return null;
    out.push({ type, value: m[2]!.trim() });
  }
  return out.length === 0 ? null : out;
}
