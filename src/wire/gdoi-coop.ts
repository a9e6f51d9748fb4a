// COOP (cooperative key server) messages between GETVPN key servers, carried
// inside an ISAKMP SA the servers keep up on UDP 848 (GDOI_IDLE, as IOS shows
// it). Cisco has not published COOP's wire format, so this one is wanlab's
// own, built from ISAKMP's pieces and documented here:
//
//   HDR*(exchange COOP_EXCHANGE = 240, the first of RFC 2408's private-use
//        exchange types; encrypted under the phase-1 key like quick mode)
//   HASH      prf(SKEYID_a, M-ID | every payload after HASH), as in RFC 6407 3.2
//   ANNOUNCE  (private-use payload 128), 24 bytes after the generic header:
//               0 version major, minor, patch, reserved
//               4 group identity number (u32)
//               8 priority (u8), role (1 primary, 2 secondary), status (1 alive),
//                 flags (0x01: the sender asks for an announcement back)
//              12 anti-replay sequence number of this sender (u32, one per message)
//              16 rekey sequence number of the group's policy (u32)
//              20 the sender's key server address (u32)
//   [SYNC]    (private-use payload 129), sent by a primary: the group's keys and
//             members, so a secondary hands out the same ones:
//               0 flags (0x01: a KEK follows, 0x02: the TBAR pseudotime follows), 3 reserved
//               [PSEUDOTIME] the group's pseudotime in milliseconds (u64, two u32s)
//               [KEK] 16-byte KEK SPI, key length (u16), reserved (u16),
//                     age in seconds (u32), key
//               TEK count (u16), reserved (u16); per TEK: sa ipsec number (u16),
//                     encryption key length (u8), integrity key length (u8),
//                     SPI (u32), age in seconds (u32), lifetime in seconds (u32),
//                     encryption key, integrity key
//               member count (u16), reserved (u16); per member its address (u32)
//
// Pure parse and emit: hashing and encryption are src/protocols/gdoi's.
// Parse never throws; every length is checked against the bytes there are.

import { put16, put32, u16, u32 } from "./bytes.ts";
import { fail, ok, type Parsed } from "./result.ts";

/** The ISAKMP exchange type of COOP messages (private use, RFC 2408 3.1). */
export const COOP_EXCHANGE = 240;
/** Private-use ISAKMP payload types of COOP. */
export const COOP_PAYLOAD = { ANNOUNCE: 128, SYNC: 129 } as const;
/** ANNOUNCE's roles and flags. */
export const COOP_ROLE = { PRIMARY: 1, SECONDARY: 2 } as const;
export const COOP_STATUS_ALIVE = 1;
export const COOP_FLAG_REPLY_REQUEST = 0x01;

const FORMAT = "gdoi-coop";
const ANNOUNCE_LEN = 24;
const KEK_SPI_LEN = 16;

/** An ANNOUNCE payload. */
export interface CoopAnnounce {
  version: [number, number, number];
  groupIdentity: number;
  priority: number;
  role: "Primary" | "Secondary";
  alive: boolean;
  replyRequest: boolean;
  antiReplaySequence: number;
  rekeySequence: number;
  address: number;
}

/** One TEK in a SYNC payload. */
export interface CoopTek {
  saNumber: number;
  spi: number;
  ageSec: number;
  lifetimeSec: number;
  encryptionKey: Uint8Array;
  integrityKey: Uint8Array;
}

/** A SYNC payload: the primary's keys and members. */
export interface CoopSync {
  /** The group's TBAR pseudotime in ms, when its TEKs use time-based anti-replay. */
  pseudotimeMs: number | null;
  kek: { spi: Uint8Array; key: Uint8Array; ageSec: number } | null;
  teks: CoopTek[];
  members: number[];
}

/** The payloads after HASH of a COOP message. */
export interface CoopBody {
  announce: CoopAnnounce;
  sync: CoopSync | null;
}

/** ANNOUNCE's body. */
export function emitCoopAnnounce(a: CoopAnnounce): Uint8Array {
  const b = new Uint8Array(ANNOUNCE_LEN);
  b.set(a.version, 0);
  put32(b, 4, a.groupIdentity);
  b[8] = a.priority;
  b[9] = a.role === "Primary" ? COOP_ROLE.PRIMARY : COOP_ROLE.SECONDARY;
  b[10] = a.alive ? COOP_STATUS_ALIVE : 0;
  b[11] = a.replyRequest ? COOP_FLAG_REPLY_REQUEST : 0;
  put32(b, 12, a.antiReplaySequence);
  put32(b, 16, a.rekeySequence);
  put32(b, 20, a.address);
  return b;
}

/** Reads ANNOUNCE's body. */
export function parseCoopAnnounce(b: Uint8Array): Parsed<CoopAnnounce> {
  if (b.length !== ANNOUNCE_LEN) return fail(FORMAT, "badLength", `ANNOUNCE is ${b.length} bytes, not ${ANNOUNCE_LEN}`);
  const role = b[9];
  if (role !== COOP_ROLE.PRIMARY && role !== COOP_ROLE.SECONDARY)
    return fail(FORMAT, "badValue", `ANNOUNCE role ${role} is neither primary (1) nor secondary (2)`);
  if (b[8] === 0) return fail(FORMAT, "badValue", "ANNOUNCE priority 0 (1-255)");
  return ok({
    version: [b[0]!, b[1]!, b[2]!],
    groupIdentity: u32(b, 4),
    priority: b[8]!,
    role: role === COOP_ROLE.PRIMARY ? "Primary" : "Secondary",
    alive: b[10] === COOP_STATUS_ALIVE,
    replyRequest: (b[11]! & COOP_FLAG_REPLY_REQUEST) !== 0,
    antiReplaySequence: u32(b, 12),
    rekeySequence: u32(b, 16),
    address: u32(b, 20),
  });
}

/** SYNC's body. */
export function emitCoopSync(s: CoopSync): Uint8Array {
  let len =
    4 +
    (s.pseudotimeMs === null ? 0 : 8) +
    (s.kek === null ? 0 : KEK_SPI_LEN + 8 + s.kek.key.length) +
    4 +
    4 +
    s.members.length * 4;
  for (const t of s.teks) len += 16 + t.encryptionKey.length + t.integrityKey.length;
  const b = new Uint8Array(len);
  let off = 4;
  b[0] = (s.pseudotimeMs === null ? 0 : 0x02) | (s.kek === null ? 0 : 0x01);
  if (s.pseudotimeMs !== null) {
    put32(b, off, Math.floor(s.pseudotimeMs / 2 ** 32));
    put32(b, off + 4, s.pseudotimeMs % 2 ** 32);
    off += 8;
  }
  if (s.kek !== null) {
    b.set(s.kek.spi.subarray(0, KEK_SPI_LEN), off);
    put16(b, off + 16, s.kek.key.length);
    put32(b, off + 20, s.kek.ageSec);
    b.set(s.kek.key, off + 24);
    off += 24 + s.kek.key.length;
  }
  put16(b, off, s.teks.length);
  off += 4;
  for (const t of s.teks) {
    put16(b, off, t.saNumber);
    b[off + 2] = t.encryptionKey.length;
    b[off + 3] = t.integrityKey.length;
    put32(b, off + 4, t.spi);
    put32(b, off + 8, t.ageSec);
    put32(b, off + 12, t.lifetimeSec);
    b.set(t.encryptionKey, off + 16);
    b.set(t.integrityKey, off + 16 + t.encryptionKey.length);
    off += 16 + t.encryptionKey.length + t.integrityKey.length;
  }
  put16(b, off, s.members.length);
  off += 4;
  for (const m of s.members) {
    put32(b, off, m);
    off += 4;
  }
  return b;
}

/** Reads SYNC's body. */
export function parseCoopSync(b: Uint8Array): Parsed<CoopSync> {
  const short = (what: string) => fail<CoopSync>(FORMAT, "truncated", `SYNC ends inside ${what}`);
  if (b.length < 4) return short("its flags");
  let off = 4;
  let pseudotimeMs: number | null = null;
  if ((b[0]! & 0x02) !== 0) {
    if (off + 8 > b.length) return short("the pseudotime");
    pseudotimeMs = u32(b, off) * 2 ** 32 + u32(b, off + 4);
    if (!Number.isSafeInteger(pseudotimeMs)) return fail(FORMAT, "badValue", "SYNC pseudotime past 2^53 ms");
    off += 8;
  }
  let kek: CoopSync["kek"] = null;
  if ((b[0]! & 0x01) !== 0) {
    if (off + 24 > b.length) return short("the KEK");
    const keyLen = u16(b, off + 16);
    if (off + 24 + keyLen > b.length) return short("the KEK's key");
    kek = {
      spi: b.slice(off, off + KEK_SPI_LEN),
      ageSec: u32(b, off + 20),
      key: b.slice(off + 24, off + 24 + keyLen),
    };
    off += 24 + keyLen;
  }
  if (off + 4 > b.length) return short("the TEK count");
  const tekCount = u16(b, off);
  off += 4;
  const teks: CoopTek[] = [];
  for (let i = 0; i < tekCount; i++) {
    if (off + 16 > b.length) return short(`TEK ${i + 1}`);
    const encLen = b[off + 2]!;
    const intLen = b[off + 3]!;
    if (off + 16 + encLen + intLen > b.length) return short(`TEK ${i + 1}'s keys`);
    const spi = u32(b, off + 4);
    if (spi < 256) return fail(FORMAT, "badValue", `TEK ${i + 1} SPI ${spi} is reserved (below 256)`);
    teks.push({
      saNumber: u16(b, off),
      spi,
      ageSec: u32(b, off + 8),
      lifetimeSec: u32(b, off + 12),
      encryptionKey: b.slice(off + 16, off + 16 + encLen),
      integrityKey: b.slice(off + 16 + encLen, off + 16 + encLen + intLen),
    });
    off += 16 + encLen + intLen;
  }
  if (off + 4 > b.length) return short("the member count");
  const memberCount = u16(b, off);
  off += 4;
  if (off + memberCount * 4 !== b.length)
    return fail(FORMAT, "badLength", `SYNC has ${b.length - off} bytes for ${memberCount} members`);
  const members: number[] = [];
  for (let i = 0; i < memberCount; i++) members.push(u32(b, off + i * 4));
  return ok({ pseudotimeMs, kek, teks, members });
}

/** ANNOUNCE then SYNC (when there is one), chained with ISAKMP generic headers; `firstPayload` is ANNOUNCE. */
export function emitCoopBody(body: CoopBody): Uint8Array {
  const announce = emitCoopAnnounce(body.announce);
  const sync = body.sync === null ? null : emitCoopSync(body.sync);
  const out = new Uint8Array(4 + announce.length + (sync === null ? 0 : 4 + sync.length));
  out[0] = sync === null ? 0 : COOP_PAYLOAD.SYNC;
  put16(out, 2, 4 + announce.length);
  out.set(announce, 4);
  if (sync !== null) {
    const off = 4 + announce.length;
    put16(out, off + 2, 4 + sync.length);
    out.set(sync, off + 4);
  }
  return out;
}

/**
 * Reads the payloads after HASH (`first` is the type HASH's header names):
 * one ANNOUNCE, then at most one SYNC. Bytes after the last payload (cipher
 * padding) are ignored; `end` is where the chain stops (what the hash covers).
 */
export function parseCoopBody(first: number, b: Uint8Array): Parsed<CoopBody & { end: number }> {
  let type = first;
  let off = 0;
  let announce: CoopAnnounce | null = null;
  let sync: CoopSync | null = null;
  while (type !== 0) {
    if (off + 4 > b.length) return fail(FORMAT, "truncated", "payload header past the message's end");
    const next = b[off]!;
    const len = u16(b, off + 2);
    if (len < 4 || off + len > b.length) return fail(FORMAT, "badLength", `payload ${type} length ${len}`);
    const data = b.subarray(off + 4, off + len);
    if (type === COOP_PAYLOAD.ANNOUNCE && announce === null) {
      const a = parseCoopAnnounce(data);
      if (!a.ok) return a;
      announce = a.value;
    } else if (type === COOP_PAYLOAD.SYNC && sync === null && announce !== null) {
      const s = parseCoopSync(data);
      if (!s.ok) return s;
      sync = s.value;
    } else return fail(FORMAT, "unsupported", `payload ${type} where ANNOUNCE or SYNC belongs`);
    type = next;
    off += len;
  }
  if (announce === null) return fail(FORMAT, "truncated", "no ANNOUNCE");
  return ok({ announce, sync, end: off });
}
