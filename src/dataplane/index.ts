// Public surface of the data plane: FIB contract and reference table, RIB,
// CEF load sharing, access lists, ARP cache, fragmentation and reassembly.

export * from "./acl.ts";
export * from "./acl-parse.ts";
export { formatIpv4, lengthOfMask, maskOf, networkOf, parseIpv4 } from "./addr.ts";
export * from "./arp-cache.ts";
export * from "./ecmp-hash.ts";
export * from "./fib.ts";
export * from "./fib-trie.ts";
export * from "./fragment.ts";
export * from "./reassembly.ts";
export * from "./rib.ts";
