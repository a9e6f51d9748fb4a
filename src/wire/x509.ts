// X.509 v3 certificates (RFC 5280 4.1) and RSA SubjectPublicKeyInfo (RFC 5280
// 4.1.2.7 with RFC 8017 A.1.1 / RFC 3279 2.3.1), as far as a router's
// self-signed certificate and its peers' need: serial, signature algorithm
// (RSA with MD5, SHA-1, SHA-256/384/512), issuer and subject names (one
// attribute per RDN on emit; multi-valued RDNs are flattened on parse),
// validity, an RSA key, and extensions kept as raw values (basicConstraints
// and subjectKeyIdentifier have helpers). Pure parse and emit over
// asn1-der.ts: signing and verifying are the caller's (the TBSCertificate
// bytes are kept exactly as received for that). Parse never throws.

import {
  DER_TAG,
  type DerElement,
  derBitString,
  derBoolean,
  derContext,
  derContextTag,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derString,
  derTime,
  isPrintableString,
  parseDer,
  parseDerChildren,
  readDerBitString,
  readDerBoolean,
  readDerInteger,
  readDerOctetString,
  readDerOid,
  readDerString,
  readDerTime,
} from "./asn1-der.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
   Certificate  ::=  SEQUENCE  {                 TBSCertificate  ::=  SEQUENCE  {
        tbsCertificate       TBSCertificate,          version         [0]  EXPLICIT Version DEFAULT v1,
        signatureAlgorithm   AlgorithmIdentifier,     serialNumber         CertificateSerialNumber,
        signatureValue       BIT STRING  }            signature            AlgorithmIdentifier,
                                                      issuer               Name,
   SubjectPublicKeyInfo  ::=  SEQUENCE  {             validity             Validity (notBefore, notAfter),
        algorithm            AlgorithmIdentifier,     subject              Name,
        subjectPublicKey     BIT STRING  }            subjectPublicKeyInfo SubjectPublicKeyInfo,
   RSAPublicKey ::= SEQUENCE { modulus INTEGER,       issuerUniqueID  [1]  IMPLICIT ... OPTIONAL,
                               publicExponent INTEGER } subjectUniqueID [2]  IMPLICIT ... OPTIONAL,
   Name ::= SEQUENCE OF SET OF                        extensions      [3]  EXPLICIT Extensions OPTIONAL }
            SEQUENCE { type OID, value ANY }
   Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
*/

/** Object identifiers used here. */
export const X509_OID = {
  RSA_ENCRYPTION: "1.2.840.113549.1.1.1",
  MD5_WITH_RSA: "1.2.840.113549.1.1.4",
  SHA1_WITH_RSA: "1.2.840.113549.1.1.5",
  SHA256_WITH_RSA: "1.2.840.113549.1.1.11",
  SHA384_WITH_RSA: "1.2.840.113549.1.1.12",
  SHA512_WITH_RSA: "1.2.840.113549.1.1.13",
  COMMON_NAME: "2.5.4.3",
  SERIAL_NUMBER: "2.5.4.5",
  COUNTRY: "2.5.4.6",
  LOCALITY: "2.5.4.7",
  STATE: "2.5.4.8",
  ORGANIZATION: "2.5.4.10",
  ORGANIZATIONAL_UNIT: "2.5.4.11",
  EMAIL: "1.2.840.113549.1.9.1",
  /** PKCS #9 unstructuredName: IOS's `hostname=` attribute. */
  UNSTRUCTURED_NAME: "1.2.840.113549.1.9.2",
  /** PKCS #9 unstructuredAddress: IOS's `ipaddress=` attribute. */
  UNSTRUCTURED_ADDRESS: "1.2.840.113549.1.9.8",
  BASIC_CONSTRAINTS: "2.5.29.19",
  SUBJECT_KEY_IDENTIFIER: "2.5.29.14",
  KEY_USAGE: "2.5.29.15",
  AUTHORITY_KEY_IDENTIFIER: "2.5.29.35",
} as const;

/** The digest of each RSA signature algorithm (node:crypto names). */
export const X509_SIGNATURE_DIGEST: Readonly<Record<string, string>> = {
  [X509_OID.MD5_WITH_RSA]: "md5",
  [X509_OID.SHA1_WITH_RSA]: "sha1",
  [X509_OID.SHA256_WITH_RSA]: "sha256",
  [X509_OID.SHA384_WITH_RSA]: "sha384",
  [X509_OID.SHA512_WITH_RSA]: "sha512",
};

/** How IOS names attribute types in `subject-name` and `show crypto pki certificates`. */
export const X509_ATTRIBUTE_NAME: Readonly<Record<string, string>> = {
  [X509_OID.COMMON_NAME]: "cn",
  [X509_OID.SERIAL_NUMBER]: "serialNumber",
  [X509_OID.COUNTRY]: "c",
  [X509_OID.LOCALITY]: "l",
  [X509_OID.STATE]: "st",
  [X509_OID.ORGANIZATION]: "o",
  [X509_OID.ORGANIZATIONAL_UNIT]: "ou",
  [X509_OID.EMAIL]: "ea",
  [X509_OID.UNSTRUCTURED_NAME]: "hostname",
  [X509_OID.UNSTRUCTURED_ADDRESS]: "ipaddress",
};

/** An RSA public key's numbers. */
export interface X509RsaPublicKey {
  n: bigint;
  e: bigint;
}

/** One attribute of a name; `tag` is the string type it was (or will be) encoded with. */
export interface X509NameAttribute {
  type: string;
  value: string;
  tag?: number;
}

/** A distinguished name: its attributes in encoding order. */
export type X509Name = X509NameAttribute[];

/** An extension with its value undecoded. */
export interface X509Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** What a TBSCertificate says (v3 only on emit). */
export interface X509TbsFields {
  serial: bigint;
  /** The signature algorithm OID (inside TBSCertificate, and again outside). */
  signatureAlgorithm: string;
  issuer: X509Name;
  notBeforeMs: number;
  notAfterMs: number;
  subject: X509Name;
  publicKey: X509RsaPublicKey;
  extensions: X509Extension[];
}

/** A parsed certificate. */
export interface X509Certificate extends X509TbsFields {
  /** 1, 2 or 3. */
  version: number;
  /** The TBSCertificate element exactly as received (what the signature covers). */
  tbs: Uint8Array;
  /** The outer signatureAlgorithm (must equal the inner one). */
  outerSignatureAlgorithm: string;
  signatureValue: Uint8Array;
  /** The whole certificate as received. */
  der: Uint8Array;
}

const FORMAT = "x509";

function bad<T = never>(
  detail: string,
  reason: "badValue" | "badLength" | "truncated" | "unsupported" = "badValue",
): Parsed<T> {
  return fail(FORMAT, reason, detail);
}

/** Prefixes a lower layer's error with where it was found. */
function within<T>(where: string, r: Parsed<T>): Parsed<T> {
  return r.ok ? r : fail(FORMAT, r.error.reason, `${where}: ${r.error.detail}`);
}

// ---------------------------------------------------------------- SubjectPublicKeyInfo

/** RSAPublicKey (RFC 8017 A.1.1). */
export function emitRsaPublicKey(k: X509RsaPublicKey): Uint8Array {
  return derSequence(derInteger(k.n), derInteger(k.e));
}

/** SubjectPublicKeyInfo for an RSA key (rsaEncryption, NULL parameters). */
export function emitSubjectPublicKeyInfo(k: X509RsaPublicKey): Uint8Array {
  return derSequence(derSequence(derOid(X509_OID.RSA_ENCRYPTION), derNull()), derBitString(emitRsaPublicKey(k)));
}

function rsaKeyFromSpki(e: DerElement): Parsed<X509RsaPublicKey> {
  const parts = parseDerChildren(e, DER_TAG.SEQUENCE);
  if (!parts.ok) return parts;
  if (parts.value.length !== 2) return bad(`SubjectPublicKeyInfo has ${parts.value.length} elements, expected 2`);
  const alg = algorithmOf(parts.value[0]!);
  if (!alg.ok) return alg;
  if (alg.value !== X509_OID.RSA_ENCRYPTION)
    return bad(`public key algorithm ${alg.value} is not rsaEncryption`, "unsupported");
  const bits = readDerBitString(parts.value[1]!);
  if (!bits.ok) return bits;
  const inner = parseDer(bits.value.bytes);
  if (!inner.ok) return inner;
  const nums = parseDerChildren(inner.value, DER_TAG.SEQUENCE);
  if (!nums.ok) return nums;
  if (nums.value.length !== 2) return bad(`RSAPublicKey has ${nums.value.length} elements, expected 2`);
  const n = readDerInteger(nums.value[0]!);
  if (!n.ok) return n;
  const ex = readDerInteger(nums.value[1]!);
  if (!ex.ok) return ex;
  if (n.value <= 0n || ex.value <= 0n) return bad("RSA modulus and exponent must be positive");
  return ok({ n: n.value, e: ex.value });
}

/** Parses a DER SubjectPublicKeyInfo holding an RSA key. */
export function parseSubjectPublicKeyInfo(b: Uint8Array): Parsed<X509RsaPublicKey> {
  const e = parseDer(b);
  if (!e.ok) return within("SubjectPublicKeyInfo", e);
  return within("SubjectPublicKeyInfo", rsaKeyFromSpki(e.value));
}

// ---------------------------------------------------------------- names

/** The string type an attribute is encoded with unless one is given: IA5 for PKCS #9 and email, Printable when it fits, else UTF-8. */
function attributeTag(a: X509NameAttribute): number {
  if (a.tag !== undefined) return a.tag;
  if (a.type === X509_OID.UNSTRUCTURED_NAME || a.type === X509_OID.EMAIL) return DER_TAG.IA5_STRING;
  return isPrintableString(a.value) ? DER_TAG.PRINTABLE_STRING : DER_TAG.UTF8_STRING;
}

/** A Name: one single-valued RDN per attribute, in the given order. */
export function emitName(name: X509Name): Uint8Array {
  return derSequence(...name.map((a) => derSet(derSequence(derOid(a.type), derString(attributeTag(a), a.value)))));
}

function parseName(e: DerElement): Parsed<X509Name> {
  const rdns = parseDerChildren(e, DER_TAG.SEQUENCE);
  if (!rdns.ok) return rdns;
  const out: X509Name = [];
  for (const rdn of rdns.value) {
    const atvs = parseDerChildren(rdn, DER_TAG.SET);
    if (!atvs.ok) return atvs;
    if (atvs.value.length === 0) return bad("empty RDN");
    for (const atv of atvs.value) {
      const pair = parseDerChildren(atv, DER_TAG.SEQUENCE);
      if (!pair.ok) return pair;
      if (pair.value.length !== 2) return bad(`attribute has ${pair.value.length} elements, expected 2`);
      const type = readDerOid(pair.value[0]!);
      if (!type.ok) return type;
      const value = readDerString(pair.value[1]!);
      if (!value.ok) return value;
      out.push({ type: type.value, value: value.value, tag: pair.value[1]!.tag });
    }
  }
  return ok(out);
}

/** The first value of an attribute type in a name. */
export function nameAttribute(name: X509Name, type: string): string | undefined {
  return name.find((a) => a.type === type)?.value;
}

/** Whether two names are the same attributes in the same order (string types aside). */
export function sameName(a: X509Name, b: X509Name): boolean {
  return a.length === b.length && a.every((x, i) => x.type === b[i]!.type && x.value === b[i]!.value);
}

// ---------------------------------------------------------------- extensions

/** basicConstraints (RFC 5280 4.2.1.9) as an extension; critical as IOS marks it. */
export function basicConstraintsExtension(ca: boolean, pathLen?: number): X509Extension {
  const body = [...(ca ? [derBoolean(true)] : []), ...(pathLen !== undefined ? [derInteger(BigInt(pathLen))] : [])];
  return { oid: X509_OID.BASIC_CONSTRAINTS, critical: true, value: derSequence(...body) };
}

/** subjectKeyIdentifier (RFC 5280 4.2.1.2) from a key identifier. */
export function subjectKeyIdentifierExtension(keyId: Uint8Array): X509Extension {
  return { oid: X509_OID.SUBJECT_KEY_IDENTIFIER, critical: false, value: derOctetString(keyId) };
}

/** authorityKeyIdentifier (RFC 5280 4.2.1.1) with a keyIdentifier only. */
export function authorityKeyIdentifierExtension(keyId: Uint8Array): X509Extension {
  return { oid: X509_OID.AUTHORITY_KEY_IDENTIFIER, critical: false, value: derSequence(derTlvImplicit(0, keyId)) };
}

function derTlvImplicit(n: number, value: Uint8Array): Uint8Array {
  const out = derOctetString(value);
  out[0] = derContextTag(n, false);
  return out;
}

/** A certificate's basicConstraints: null when absent, an error when malformed. */
export function readBasicConstraints(c: X509Certificate): Parsed<{ ca: boolean; pathLen?: number } | null> {
  const ext = c.extensions.find((x) => x.oid === X509_OID.BASIC_CONSTRAINTS);
  if (ext === undefined) return ok(null);
  const e = parseDer(ext.value);
  if (!e.ok) return within("basicConstraints", e);
  const parts = parseDerChildren(e.value, DER_TAG.SEQUENCE);
  if (!parts.ok) return within("basicConstraints", parts);
  let i = 0;
  let ca = false;
  if (parts.value[i]?.tag === DER_TAG.BOOLEAN) {
    const b = readDerBoolean(parts.value[i++]!);
    if (!b.ok) return within("basicConstraints", b);
    ca = b.value;
  }
  if (parts.value[i] !== undefined) {
    const n = readDerInteger(parts.value[i++]!);
    if (!n.ok) return within("basicConstraints", n);
    if (n.value < 0n) return bad("basicConstraints: negative pathLenConstraint");
    if (i < parts.value.length) return bad("basicConstraints: elements after pathLenConstraint");
    return ok({ ca, pathLen: Number(n.value) });
  }
  return ok({ ca });
}

function emitExtensions(exts: readonly X509Extension[]): Uint8Array[] {
  if (exts.length === 0) return [];
  const list = exts.map((x) =>
    derSequence(derOid(x.oid), ...(x.critical ? [derBoolean(true)] : []), derOctetString(x.value)),
  );
  return [derContext(3, derSequence(...list))];
}

function parseExtensions(e: DerElement): Parsed<X509Extension[]> {
  const wrapper = parseDerChildren(e, derContextTag(3));
  if (!wrapper.ok) return wrapper;
  if (wrapper.value.length !== 1) return bad("extensions [3] must hold one SEQUENCE");
  const list = parseDerChildren(wrapper.value[0]!, DER_TAG.SEQUENCE);
  if (!list.ok) return list;
  const out: X509Extension[] = [];
  for (const x of list.value) {
    const parts = parseDerChildren(x, DER_TAG.SEQUENCE);
    if (!parts.ok) return parts;
    if (parts.value.length < 2 || parts.value.length > 3) return bad(`extension has ${parts.value.length} elements`);
    const oid = readDerOid(parts.value[0]!);
    if (!oid.ok) return oid;
    let critical = false;
    if (parts.value.length === 3) {
      const c = readDerBoolean(parts.value[1]!);
      if (!c.ok) return c;
      critical = c.value;
    }
    const value = readDerOctetString(parts.value[parts.value.length - 1]!);
    if (!value.ok) return value;
    if (out.some((o) => o.oid === oid.value)) return bad(`extension ${oid.value} appears twice`);
    out.push({ oid: oid.value, critical, value: value.value });
  }
  return ok(out);
}

// ---------------------------------------------------------------- certificate

/** AlgorithmIdentifier with NULL (or absent) parameters. */
function emitAlgorithm(oid: string): Uint8Array {
  return derSequence(derOid(oid), derNull());
}

function algorithmOf(e: DerElement): Parsed<string> {
  const parts = parseDerChildren(e, DER_TAG.SEQUENCE);
  if (!parts.ok) return parts;
  if (parts.value.length < 1 || parts.value.length > 2)
    return bad(`AlgorithmIdentifier has ${parts.value.length} elements`);
  return readDerOid(parts.value[0]!);
}

/** The TBSCertificate (version 3) of these fields. */
export function emitTbsCertificate(t: X509TbsFields): Uint8Array {
  return derSequence(
    derContext(0, derInteger(2n)),
    derInteger(t.serial),
    emitAlgorithm(t.signatureAlgorithm),
    emitName(t.issuer),
    derSequence(derTime(t.notBeforeMs), derTime(t.notAfterMs)),
    emitName(t.subject),
    emitSubjectPublicKeyInfo(t.publicKey),
    ...emitExtensions(t.extensions),
  );
}

/** The certificate: a TBSCertificate, its signature algorithm again and the signature over the TBSCertificate bytes. */
export function emitCertificate(tbs: Uint8Array, signatureAlgorithm: string, signature: Uint8Array): Uint8Array {
  return derSequence(tbs, emitAlgorithm(signatureAlgorithm), derBitString(signature));
}

/** Parses a DER certificate; the error names the part that is wrong. */
export function parseCertificate(der: Uint8Array): Parsed<X509Certificate> {
  return within("certificate", parseCertificateInner(der));
}

function parseCertificateInner(der: Uint8Array): Parsed<X509Certificate> {
  const top = parseDer(der);
  if (!top.ok) return top;
  const outer = parseDerChildren(top.value, DER_TAG.SEQUENCE);
  if (!outer.ok) return outer;
  if (outer.value.length !== 3) return bad(`Certificate has ${outer.value.length} elements, expected 3`);
  const [tbsEl, algEl, sigEl] = outer.value as [DerElement, DerElement, DerElement];
  const outerAlg = within("signatureAlgorithm", algorithmOf(algEl));
  if (!outerAlg.ok) return outerAlg;
  const sig = within("signatureValue", readDerBitString(sigEl));
  if (!sig.ok) return sig;
  const fields = parseDerChildren(tbsEl, DER_TAG.SEQUENCE);
  if (!fields.ok) return within("tbsCertificate", fields);
  const f = fields.value;
  let i = 0;
  let version = 1;
  if (f[i]?.tag === derContextTag(0)) {
    const v = parseDerChildren(f[i++]!);
    if (!v.ok || v.value.length !== 1) return bad("tbsCertificate: version [0] must hold one INTEGER");
    const n = readDerInteger(v.value[0]!);
    if (!n.ok) return within("version", n);
    if (n.value < 0n || n.value > 2n) return bad(`version ${n.value} is not v1, v2 or v3`, "unsupported");
    version = Number(n.value) + 1;
  }
  if (f.length - i < 6)
    return bad(`tbsCertificate has ${f.length - i} fields after the version, expected at least 6`, "truncated");
  const serial = within("serialNumber", readDerInteger(f[i++]!));
  if (!serial.ok) return serial;
  const innerAlg = within("signature", algorithmOf(f[i++]!));
  if (!innerAlg.ok) return innerAlg;
  if (innerAlg.value !== outerAlg.value)
    return bad(`signature algorithm ${innerAlg.value} inside, ${outerAlg.value} outside`);
  const issuer = within("issuer", parseName(f[i++]!));
  if (!issuer.ok) return issuer;
  const validity = parseDerChildren(f[i++]!, DER_TAG.SEQUENCE);
  if (!validity.ok) return within("validity", validity);
  if (validity.value.length !== 2) return bad(`validity has ${validity.value.length} elements, expected 2`);
  const notBefore = within("notBefore", readDerTime(validity.value[0]!));
  if (!notBefore.ok) return notBefore;
  const notAfter = within("notAfter", readDerTime(validity.value[1]!));
  if (!notAfter.ok) return notAfter;
  const subject = within("subject", parseName(f[i++]!));
  if (!subject.ok) return subject;
  const key = within("subjectPublicKeyInfo", rsaKeyFromSpki(f[i++]!));
  if (!key.ok) return key;
  // issuerUniqueID [1] and subjectUniqueID [2] (v2 and later) are skipped.
  while (i < f.length && (f[i]!.tag === 0x81 || f[i]!.tag === 0x82 || f[i]!.tag === 0xa1 || f[i]!.tag === 0xa2)) i++;
  let extensions: X509Extension[] = [];
  if (i < f.length) {
    if (version !== 3) return bad("extensions in a certificate before v3");
    const exts = within("extensions", parseExtensions(f[i++]!));
    if (!exts.ok) return exts;
    extensions = exts.value;
  }
  if (i !== f.length) return bad(`${f.length - i} unexpected fields at the end of tbsCertificate`);
  return ok({
    version,
    serial: serial.value,
    signatureAlgorithm: innerAlg.value,
    issuer: issuer.value,
    notBeforeMs: notBefore.value,
    notAfterMs: notAfter.value,
    subject: subject.value,
    publicKey: key.value,
    extensions,
    tbs: tbsEl.bytes,
    outerSignatureAlgorithm: outerAlg.value,
    signatureValue: sig.value.bytes,
    der: top.value.bytes,
  });
}
