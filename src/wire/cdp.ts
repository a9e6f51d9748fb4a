// Cisco Discovery Protocol (CDP version 2) as IOS sends it: a 4-byte header
// (version 2, TTL = the holdtime in seconds, checksum) and type-length-value
// items whose length counts the 4-byte type/length. The items a router sends:
// Device ID (hostname), Addresses (count, then NLPID 0xCC IPv4 entries), Port
// ID (the sending interface's name), Capabilities (bit 0x01 Router), Software
// Version, Platform and, for On-Demand Routing, IP Prefix (type 0x0007): a
// stub's connected prefixes as 5-byte entries (address, prefix length), or on
// an ODR hub one 4-byte address, the default gateway the stub should use.
// CDP rides SNAP (OUI 00000C, PID 0x2000) to 01:00:0c:cc:cc:cc on Ethernet,
// Cisco HDLC protocol 0x2000 on serial lines and GRE protocol type 0x2000 in
// tunnels. The checksum is RFC 1071's, except that an odd last byte is summed
// as a word with the byte low (Cisco's big-endian mistake) and, when that byte
// has its top bit set, both bytes of that word one less (Cisco's sign bug);
// Wireshark checks it the same way.

import { checksumAdd, checksumFinish } from "./checksum.ts";
import { readIpv4, writeIpv4 } from "./ipv4-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/** GRE protocol type, Cisco HDLC protocol and SNAP PID of CDP. */
export const CDP_PROTOCOL = 0x2000;
/** CDP's multicast MAC address (01:00:0c:cc:cc:cc). */
export const CDP_MULTICAST_MAC = 0x01000ccccccc;
/** The LLC/SNAP header in front of CDP on Ethernet (DSAP, SSAP AA, UI, OUI Cisco, PID 0x2000). */
export const CDP_SNAP_HEADER: readonly number[] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00];

export const CDP_VERSION = 2;
export const CDP_HEADER_LEN = 4;

/** TLV types. */
export const CDP_TLV = {
  deviceId: 0x0001,
  addresses: 0x0002,
  portId: 0x0003,
  capabilities: 0x0004,
  softwareVersion: 0x0005,
  platform: 0x0006,
  ipPrefix: 0x0007,
  duplex: 0x000b,
} as const;

/** Capability bits. */
export const CDP_CAP = {
  router: 0x01,
  transBridge: 0x02,
  sourceRouteBridge: 0x04,
  switch: 0x08,
  host: 0x10,
  igmp: 0x20,
  repeater: 0x40,
} as const;

/** One CDP advertisement. Strings are ASCII; absent items are left out on the wire. */
export interface CdpPacket {
  version: number;
  /** Holdtime in seconds (the header's TTL). */
  ttl: number;
  deviceId: string;
  /** IPv4 addresses of the sending interface. */
  addresses: number[];
  portId: string;
  capabilities: number;
  softwareVersion: string;
  platform: string;
  /** ODR: a stub's connected prefixes (only when the item is present). */
  prefixes?: Array<{ prefix: number; length: number }>;
  /** ODR: the hub's address, the default gateway for the stub (the 4-byte form of IP Prefix). */
  defaultGateway?: number;
  /** TLV types we do not read (kept so a count can show them; never re-emitted). */
  unknownTypes: number[];
}

/** Latin-1 bytes of a string (IOS strings are ASCII). */
function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}
const text = new TextDecoder("latin1");

/** The CDP checksum over `b` (its checksum field zero), with Cisco's odd-length rule. */
export function cdpChecksum(b: Uint8Array): number {
  const n = b.length;
  if ((n & 1) === 0) return checksumFinish(checksumAdd(0, b));
  let sum = checksumAdd(0, b, 0, n - 1);
  const last = b[n - 1]!;
  // The last byte is summed as the low byte of a word; with its top bit set, Cisco's signed add costs 0x0101.
  sum += last & 0x80 ? (0xff << 8) | ((last - 1) & 0xff) : last;
  return checksumFinish(sum);
}

function tlvString(type: number, s: string): Uint8Array {
  const body = latin1(s);
  const b = new Uint8Array(4 + body.length);
  b[0] = type >> 8;
  b[1] = type & 0xff;
  b[2] = b.length >> 8;
  b[3] = b.length & 0xff;
  b.set(body, 4);
  return b;
}

function tlvBytes(type: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + body.length);
  b[0] = type >> 8;
  b[1] = type & 0xff;
  b[2] = b.length >> 8;
  b[3] = b.length & 0xff;
  b.set(body, 4);
  return b;
}

/** The CDP payload (header and TLVs) of an advertisement, in IOS's item order. */
export function emitCdp(p: Omit<CdpPacket, "unknownTypes">): Uint8Array {
  const items: Uint8Array[] = [tlvString(CDP_TLV.deviceId, p.deviceId)];
  const addrs = new Uint8Array(4 + 9 * p.addresses.length);
  new DataView(addrs.buffer).setUint32(0, p.addresses.length);
  p.addresses.forEach((a, i) => {
    const o = 4 + 9 * i;
    addrs.set([0x01, 0x01, 0xcc, 0x00, 0x04], o); // protocol type NLPID, length 1, IPv4, address length 4
    writeIpv4(addrs, o + 5, a);
  });
  items.push(tlvBytes(CDP_TLV.addresses, addrs));
  items.push(tlvString(CDP_TLV.portId, p.portId));
  const caps = new Uint8Array(4);
  new DataView(caps.buffer).setUint32(0, p.capabilities >>> 0);
  items.push(tlvBytes(CDP_TLV.capabilities, caps));
  items.push(tlvString(CDP_TLV.softwareVersion, p.softwareVersion));
  items.push(tlvString(CDP_TLV.platform, p.platform));
  if (p.defaultGateway !== undefined) {
    const gw = new Uint8Array(4);
    writeIpv4(gw, 0, p.defaultGateway);
    items.push(tlvBytes(CDP_TLV.ipPrefix, gw));
  } else if (p.prefixes !== undefined && p.prefixes.length > 0) {
    const body = new Uint8Array(5 * p.prefixes.length);
    p.prefixes.forEach((x, i) => {
      writeIpv4(body, 5 * i, x.prefix);
      body[5 * i + 4] = x.length;
    });
    items.push(tlvBytes(CDP_TLV.ipPrefix, body));
  }
  const total = CDP_HEADER_LEN + items.reduce((s, i) => s + i.length, 0);
  const b = new Uint8Array(total);
  b[0] = p.version;
  b[1] = p.ttl;
  let off = CDP_HEADER_LEN;
  for (const i of items) {
    b.set(i, off);
    off += i.length;
  }
  const c = cdpChecksum(b);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return b;
}

/** Parses a CDP payload; a bad checksum, a TLV running past the end or a malformed item is an error. */
export function parseCdp(b: Uint8Array): Parsed<CdpPacket> {
  if (b.length < CDP_HEADER_LEN) return fail("cdp", "truncated", `${b.length} bytes, header needs 4`);
  if (b[0] !== 1 && b[0] !== 2) return fail("cdp", "badVersion", `version ${b[0]}`);
  if (cdpChecksum(b) !== 0) return fail("cdp", "badChecksum", "checksum mismatch");
  const p: CdpPacket = {
    version: b[0]!,
    ttl: b[1]!,
    deviceId: "",
    addresses: [],
    portId: "",
    capabilities: 0,
    softwareVersion: "",
    platform: "",
    unknownTypes: [],
  };
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  let off = CDP_HEADER_LEN;
  let sawDeviceId = false;
  while (off < b.length) {
    if (off + 4 > b.length) return fail("cdp", "truncated", `TLV header at ${off}`);
    const type = view.getUint16(off);
    const len = view.getUint16(off + 2);
    if (len < 4 || off + len > b.length) return fail("cdp", "badLength", `TLV ${type} length ${len} at ${off}`);
    const body = b.subarray(off + 4, off + len);
    switch (type) {
      case CDP_TLV.deviceId:
        p.deviceId = text.decode(body);
        sawDeviceId = true;
        break;
      case CDP_TLV.portId:
        p.portId = text.decode(body);
        break;
      case CDP_TLV.softwareVersion:
        p.softwareVersion = text.decode(body);
        break;
      case CDP_TLV.platform:
        p.platform = text.decode(body);
        break;
      case CDP_TLV.capabilities:
        if (body.length !== 4) return fail("cdp", "badLength", `capabilities length ${body.length}`);
        p.capabilities = view.getUint32(off + 4);
        break;
      case CDP_TLV.addresses: {
        if (body.length < 4) return fail("cdp", "badLength", "addresses without a count");
        const count = view.getUint32(off + 4);
        let a = 4;
        for (let i = 0; i < count; i++) {
          if (a + 2 > body.length) return fail("cdp", "truncated", `address ${i}`);
          const protoLen = body[a + 1]!;
          if (a + 2 + protoLen + 2 > body.length) return fail("cdp", "truncated", `address ${i}`);
          const addrLen = (body[a + 2 + protoLen]! << 8) | body[a + 3 + protoLen]!;
          const at = a + 4 + protoLen;
          if (at + addrLen > body.length) return fail("cdp", "truncated", `address ${i}`);
          if (body[a] === 0x01 && protoLen === 1 && body[a + 2] === 0xcc && addrLen === 4)
            p.addresses.push(readIpv4(body, at));
          a = at + addrLen;
        }
        break;
      }
      case CDP_TLV.ipPrefix:
        if (body.length === 4) p.defaultGateway = readIpv4(body, 0);
        else {
          if (body.length % 5 !== 0) return fail("cdp", "badLength", `IP prefix length ${body.length}`);
          p.prefixes = [];
          for (let i = 0; i < body.length; i += 5) {
            const length = body[i + 4]!;
            if (length > 32) return fail("cdp", "badValue", `prefix length ${length}`);
            p.prefixes.push({ prefix: readIpv4(body, i), length });
          }
        }
        break;
      default:
        p.unknownTypes.push(type);
    }
    off += len;
  }
  if (!sawDeviceId) return fail("cdp", "badValue", "no Device ID");
  return ok(p);
}

/** An IEEE 802.3 frame carrying `payload` (a CDP packet) in LLC/SNAP to CDP's multicast MAC, padded to 60 bytes. */
export function emitCdpEthernetFrame(srcMac: number, payload: Uint8Array, vlan?: number): Uint8Array {
  const tag = vlan === undefined ? 0 : 4;
  const llcLen = CDP_SNAP_HEADER.length + payload.length;
  const frame = new Uint8Array(Math.max(14 + tag + llcLen, 60));
  const v = new DataView(frame.buffer);
  v.setUint16(0, Math.floor(CDP_MULTICAST_MAC / 0x100000000));
  v.setUint32(2, CDP_MULTICAST_MAC % 0x100000000);
  v.setUint16(6, Math.floor(srcMac / 0x100000000));
  v.setUint32(8, srcMac % 0x100000000);
  if (vlan !== undefined) {
    v.setUint16(12, 0x8100);
    v.setUint16(14, vlan & 0x0fff);
  }
  v.setUint16(12 + tag, llcLen);
  frame.set(CDP_SNAP_HEADER, 14 + tag);
  frame.set(payload, 14 + tag + CDP_SNAP_HEADER.length);
  return frame;
}

/** The CDP payload of an 802.3 LLC/SNAP body (after the length field), or null when it is not CDP. */
export function cdpFromSnap(llc: Uint8Array, length: number): Uint8Array | null {
  if (length < CDP_SNAP_HEADER.length || length > llc.length) return null;
  for (let i = 0; i < CDP_SNAP_HEADER.length; i++) if (llc[i] !== CDP_SNAP_HEADER[i]) return null;
  return llc.subarray(CDP_SNAP_HEADER.length, length);
}
