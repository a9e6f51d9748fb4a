// Numbers of ISAKMP (RFC 2408), IKEv1 (RFC 2409 Appendix A), the IPsec DOI
// (RFC 2407), NAT traversal (RFC 3947) and Dead Peer Detection (RFC 3706):
// payload and exchange types, SA attribute types and values, ID types, notify
// message types and the well-known vendor ID payloads. Names follow the RFCs
// (and what IOS prints in `debug crypto isakmp`), values are IANA's.

/** Payload types (RFC 2408 3.1, NAT-D/NAT-OA from RFC 3947). */
export const ISAKMP_PAYLOAD = {
  NONE: 0,
  SA: 1,
  PROPOSAL: 2,
  TRANSFORM: 3,
  KE: 4,
  ID: 5,
  CERT: 6,
  CERTREQ: 7,
  HASH: 8,
  SIG: 9,
  NONCE: 10,
  NOTIFY: 11,
  DELETE: 12,
  VENDOR_ID: 13,
  NAT_D: 20,
  NAT_OA: 21,
} as const;

/** Exchange types (RFC 2408 3.1, RFC 2409 5.5 for quick mode). */
export const ISAKMP_EXCHANGE = {
  BASE: 1,
  MAIN: 2,
  AUTH_ONLY: 3,
  AGGRESSIVE: 4,
  INFORMATIONAL: 5,
  QUICK: 32,
  NEW_GROUP: 33,
} as const;

/** Header flag bits (RFC 2408 3.1). */
export const ISAKMP_FLAG = { ENCRYPTION: 1, COMMIT: 2, AUTH_ONLY: 4 } as const;

/** Protocol identifiers in proposals, notifies and deletes (RFC 2407 4.4.1). */
export const PROTO = { ISAKMP: 1, IPSEC_AH: 2, IPSEC_ESP: 3, IPCOMP: 4 } as const;

/** The only transform ID for PROTO_ISAKMP (RFC 2407 4.4.2). */
export const KEY_IKE = 1;
/** IPsec Domain of Interpretation (RFC 2407 4.2). */
export const DOI_IPSEC = 1;
/** Situation bits of the IPsec DOI (RFC 2407 4.2); IKE peers send identity-only. */
export const SIT_IDENTITY_ONLY = 1;
export const SIT_SECRECY = 2;
export const SIT_INTEGRITY = 4;

/** Phase 1 SA attribute classes (RFC 2409 Appendix A). */
export const IKE_ATTR = {
  ENCRYPTION: 1,
  HASH: 2,
  AUTH_METHOD: 3,
  GROUP: 4,
  GROUP_TYPE: 5,
  GROUP_PRIME: 6,
  GROUP_GENERATOR_ONE: 7,
  GROUP_GENERATOR_TWO: 8,
  GROUP_CURVE_A: 9,
  GROUP_CURVE_B: 10,
  LIFE_TYPE: 11,
  LIFE_DURATION: 12,
  PRF: 13,
  KEY_LENGTH: 14,
  FIELD_SIZE: 15,
  GROUP_ORDER: 16,
} as const;

/** Phase 1 encryption algorithms (RFC 2409 Appendix A; AES from RFC 3602). */
export const IKE_ENCR = { DES: 1, IDEA: 2, BLOWFISH: 3, RC5: 4, TRIPLE_DES: 5, CAST: 6, AES: 7 } as const;

/** Phase 1 hash algorithms (RFC 2409 Appendix A; SHA-2 from RFC 4868's IANA entries). */
export const IKE_HASH = { MD5: 1, SHA: 2, TIGER: 3, SHA2_256: 4, SHA2_384: 5, SHA2_512: 6 } as const;

/** Phase 1 authentication methods (RFC 2409 Appendix A). */
export const IKE_AUTH = { PRE_SHARED: 1, DSS_SIG: 2, RSA_SIG: 3, RSA_ENC: 4, RSA_REVISED_ENC: 5 } as const;

/** Diffie-Hellman group numbers as IOS `group N` names them (RFC 2409, 3526, 5114, 5903). */
export const IKE_GROUP = {
  MODP_768: 1,
  MODP_1024: 2,
  MODP_1536: 5,
  MODP_2048: 14,
  MODP_3072: 15,
  MODP_4096: 16,
  ECP_256: 19,
  ECP_384: 20,
  ECP_521: 21,
  MODP_2048_256: 24,
} as const;

/** Life type values, shared by phase 1 and phase 2 attributes. */
export const LIFE_TYPE = { SECONDS: 1, KILOBYTES: 2 } as const;

/** Phase 2 SA attribute classes (RFC 2407 4.5). */
export const IPSEC_ATTR = {
  LIFE_TYPE: 1,
  LIFE_DURATION: 2,
  GROUP: 3,
  ENCAPSULATION: 4,
  AUTH_ALGORITHM: 5,
  KEY_LENGTH: 6,
  KEY_ROUNDS: 7,
  COMPRESS_DICTIONARY_SIZE: 8,
  COMPRESS_PRIVATE_ALGORITHM: 9,
} as const;

/**
 * Encapsulation modes (RFC 2407 4.5; UDP modes from RFC 3947). The draft
 * NAT-T values older IOS releases send are kept for recognising them.
 */
export const ENCAPSULATION = {
  TUNNEL: 1,
  TRANSPORT: 2,
  UDP_TUNNEL: 3,
  UDP_TRANSPORT: 4,
  UDP_TUNNEL_DRAFT: 61443,
  UDP_TRANSPORT_DRAFT: 61444,
} as const;

/** Phase 2 authentication algorithms (RFC 2407 4.5; SHA-2 from RFC 4868). */
export const AUTH_ALG = { HMAC_MD5: 1, HMAC_SHA: 2, HMAC_SHA2_256: 5, HMAC_SHA2_384: 6, HMAC_SHA2_512: 7 } as const;

/** ESP transform IDs (RFC 2407 4.4.4; AES from RFC 3602). */
export const ESP_TRANSFORM = { DES: 2, TRIPLE_DES: 3, NULL: 11, AES: 12 } as const;

/** AH transform IDs (RFC 2407 4.4.3; SHA-2 from RFC 4868). */
export const AH_TRANSFORM = { MD5: 2, SHA: 3, DES: 4, SHA2_256: 5, SHA2_384: 6, SHA2_512: 7 } as const;

/** Identification types (RFC 2407 4.6.2.1). */
export const ID_TYPE = {
  IPV4_ADDR: 1,
  FQDN: 2,
  USER_FQDN: 3,
  IPV4_ADDR_SUBNET: 4,
  IPV6_ADDR: 5,
  IPV6_ADDR_SUBNET: 6,
  IPV4_ADDR_RANGE: 7,
  IPV6_ADDR_RANGE: 8,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
} as const;

/** Certificate encodings of CERT and CERTREQ payloads (RFC 2408 3.9). */
export const CERT_ENCODING = {
  PKCS7: 1,
  PGP: 2,
  DNS_KEY: 3,
  X509_SIG: 4,
  X509_KE: 5,
  KERBEROS: 6,
  CRL: 7,
  ARL: 8,
  SPKI: 9,
  X509_ATTR: 10,
} as const;

/**
 * Notify message types: errors 1-30 (RFC 2408 3.14.1), IPsec DOI status
 * types (RFC 2407 4.6.3) and DPD (RFC 3706).
 */
export const NOTIFY = {
  INVALID_PAYLOAD_TYPE: 1,
  DOI_NOT_SUPPORTED: 2,
  SITUATION_NOT_SUPPORTED: 3,
  INVALID_COOKIE: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_MINOR_VERSION: 6,
  INVALID_EXCHANGE_TYPE: 7,
  INVALID_FLAGS: 8,
  INVALID_MESSAGE_ID: 9,
  INVALID_PROTOCOL_ID: 10,
  INVALID_SPI: 11,
  INVALID_TRANSFORM_ID: 12,
  ATTRIBUTES_NOT_SUPPORTED: 13,
  NO_PROPOSAL_CHOSEN: 14,
  BAD_PROPOSAL_SYNTAX: 15,
  PAYLOAD_MALFORMED: 16,
  INVALID_KEY_INFORMATION: 17,
  INVALID_ID_INFORMATION: 18,
  INVALID_CERT_ENCODING: 19,
  INVALID_CERTIFICATE: 20,
  CERT_TYPE_UNSUPPORTED: 21,
  INVALID_CERT_AUTHORITY: 22,
  INVALID_HASH_INFORMATION: 23,
  AUTHENTICATION_FAILED: 24,
  INVALID_SIGNATURE: 25,
  ADDRESS_NOTIFICATION: 26,
  NOTIFY_SA_LIFETIME: 27,
  CERTIFICATE_UNAVAILABLE: 28,
  UNSUPPORTED_EXCHANGE_TYPE: 29,
  UNEQUAL_PAYLOAD_LENGTHS: 30,
  CONNECTED: 16384,
  RESPONDER_LIFETIME: 24576,
  REPLAY_STATUS: 24577,
  INITIAL_CONTACT: 24578,
  R_U_THERE: 36136,
  R_U_THERE_ACK: 36137,
} as const;

function fromHex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
}

/** Vendor ID announcing Dead Peer Detection (RFC 3706 2.2). */
export const VID_DPD = fromHex("afcad71368a1f1c96b8696fc77570100");
/** Vendor ID announcing RFC 3947 NAT traversal: MD5("RFC 3947"). */
export const VID_NAT_T_RFC3947 = fromHex("4a131c81070358455c5728f20e95452f");
/** Cisco Unity vendor ID: MD5("CISCO-UNITY") with the last two bytes set to version 1.0. */
export const VID_CISCO_UNITY = fromHex("12f5f28c457168a9702d9fe274cc0100");
/** XAUTH vendor ID: first 8 bytes of MD5("draft-ietf-ipsra-isakmp-xauth-06.txt"). */
export const VID_XAUTH = fromHex("09002689dfd6b712");

const PAYLOAD_NAMES: Record<number, string> = {
  [ISAKMP_PAYLOAD.SA]: "SA",
  [ISAKMP_PAYLOAD.PROPOSAL]: "Proposal",
  [ISAKMP_PAYLOAD.TRANSFORM]: "Transform",
  [ISAKMP_PAYLOAD.KE]: "KE",
  [ISAKMP_PAYLOAD.ID]: "ID",
  [ISAKMP_PAYLOAD.CERT]: "CERT",
  [ISAKMP_PAYLOAD.CERTREQ]: "CERT_REQ",
  [ISAKMP_PAYLOAD.HASH]: "HASH",
  [ISAKMP_PAYLOAD.SIG]: "SIG",
  [ISAKMP_PAYLOAD.NONCE]: "NONCE",
  [ISAKMP_PAYLOAD.NOTIFY]: "NOTIFY",
  [ISAKMP_PAYLOAD.DELETE]: "DELETE",
  [ISAKMP_PAYLOAD.VENDOR_ID]: "VENDOR",
  [ISAKMP_PAYLOAD.NAT_D]: "NAT-D",
  [ISAKMP_PAYLOAD.NAT_OA]: "NAT-OA",
};

/** Payload name as `debug crypto isakmp` prints it ("processing SA payload"); unknown ones by number. */
export function isakmpPayloadName(type: number): string {
  return PAYLOAD_NAMES[type] ?? `unknown (${type})`;
}

const NOTIFY_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(NOTIFY).map(([name, value]) => [value, name.replaceAll("_", "-")]),
);

/** Notify message type name as the RFCs spell it ("NO-PROPOSAL-CHOSEN"); unknown ones by number. */
export function isakmpNotifyName(type: number): string {
  return NOTIFY_NAMES[type] ?? `${type}`;
}
