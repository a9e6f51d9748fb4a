// Public surface of the wire formats: parse/emit per format, checksums and
// address helpers. Nothing here knows about devices.

export * from "./arp.ts";
export * from "./asn1-der.ts";
export * from "./checksum.ts";
export * from "./esp.ts";
export * from "./ethernet.ts";
export * from "./gdoi.ts";
export * from "./gre.ts";
export * from "./hdlc.ts";
export * from "./icmp.ts";
export * from "./ipv4.ts";
export * from "./ipv4-address.ts";
export * from "./isakmp.ts";
export * from "./isakmp-constants.ts";
export * from "./mac-address.ts";
export * from "./ospf/index.ts";
export * from "./result.ts";
export * from "./tcp.ts";
export * from "./udp.ts";
export * from "./udp-encap.ts";
export * from "./x509.ts";
