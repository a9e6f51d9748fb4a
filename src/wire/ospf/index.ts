// OSPFv2 wire format (RFC 2328 appendix A, RFC 3101 NSSA-LSA): constants,
// packets with authentication, LSAs and the Fletcher LSA checksum.

export * from "./constants.ts";
export * from "./fletcher.ts";
export * from "./lsa.ts";
export * from "./packet.ts";
