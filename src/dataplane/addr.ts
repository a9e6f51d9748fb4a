// IPv4 prefix helpers of the data plane on top of the wire's address helpers
// (src/wire/ipv4-address.ts is the one implementation of text and masks).

import { formatIpv4Address, lengthFromMask, maskFromLength, parseIpv4Address } from "../wire/ipv4-address.ts";

/** Network mask for a prefix length 0..32, as uint32. */
export const maskOf = maskFromLength;

/** Formats a uint32 address as dotted quad. */
export const formatIpv4 = formatIpv4Address;

/** Parses a dotted quad into a uint32, or null when it is not one. */
export const parseIpv4 = parseIpv4Address;

/** Clears the host bits of address for a prefix length. */
export function networkOf(address: number, length: number): number {
  return (address & maskFromLength(length)) >>> 0;
}

/** Prefix length of a contiguous mask, or -1 when the mask is not contiguous. */
export function lengthOfMask(mask: number): number {
  return lengthFromMask(mask >>> 0) ?? -1;
}
