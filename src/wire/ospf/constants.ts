// OSPFv2 numbers (RFC 2328 appendix A, NSSA RFC 3101 section 2): packet
// types, authentication types, the Options field bits, DBD flags, router-LSA
// flags and link types, LSA types, and the architectural constants of
// appendix B that the wire format itself depends on.

/** AllSPFRouters, 224.0.0.5. */
export const ALL_SPF_ROUTERS = 0xe0000005;
/** AllDRouters, 224.0.0.6. */
export const ALL_D_ROUTERS = 0xe0000006;

/** Packet types (A.3.1). */
export const OSPF_PACKET_TYPE = { HELLO: 1, DBD: 2, LSR: 3, LSU: 4, LSACK: 5 } as const;
export type OspfPacketType = (typeof OSPF_PACKET_TYPE)[keyof typeof OSPF_PACKET_TYPE];

/** AuType (D.1-D.3). */
export const OSPF_AUTH_TYPE = { NULL: 0, SIMPLE: 1, CRYPTOGRAPHIC: 2 } as const;

/** Options field bits (A.2; N/P is the NSSA bit of RFC 3101 2.1; L says an LLS block follows, RFC 5613). */
export const OSPF_OPTION = { MT: 0x01, E: 0x02, MC: 0x04, NP: 0x08, L: 0x10, DC: 0x20, O: 0x40, DN: 0x80 } as const;

/** Database Description flags (A.3.3). */
export const DBD_FLAG = { MS: 0x01, M: 0x02, I: 0x04 } as const;

/** Router-LSA flags (A.4.2; Nt is RFC 3101's NSSA translator bit). */
export const ROUTER_LSA_FLAG = { B: 0x01, E: 0x02, V: 0x04, NT: 0x10 } as const;

/** Router-LSA link types (A.4.2). */
export const ROUTER_LINK_TYPE = { POINT_TO_POINT: 1, TRANSIT: 2, STUB: 3, VIRTUAL: 4 } as const;
export type RouterLinkType = (typeof ROUTER_LINK_TYPE)[keyof typeof ROUTER_LINK_TYPE];

/** LS types (A.4.1; 7 from RFC 3101). */
export const LSA_TYPE = {
  ROUTER: 1,
  NETWORK: 2,
  SUMMARY: 3,
  ASBR_SUMMARY: 4,
  AS_EXTERNAL: 5,
  NSSA_EXTERNAL: 7,
} as const;

/** Appendix B constants. */
export const OSPF_MAX_AGE = 3600;
export const OSPF_LS_REFRESH_TIME = 1800;
export const OSPF_MAX_AGE_DIFF = 900;
export const OSPF_LS_INFINITY = 0xffffff;
/** InitialSequenceNumber and MaxSequenceNumber as signed 32-bit values (12.1.6). */
export const OSPF_INITIAL_SEQUENCE = -0x7fffffff;
export const OSPF_MAX_SEQUENCE = 0x7fffffff;

/** Fixed sizes. */
export const OSPF_HEADER_LEN = 24;
export const LSA_HEADER_LEN = 20;
/** Keyed MD5's digest length (D.3). */
export const OSPF_MD5_DIGEST_LEN = 16;
