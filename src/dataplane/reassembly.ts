// IPv4 reassembly (RFC 791 section 3.2, RFC 815 hole tracking) for datagrams
// addressed to the router. Buffers are keyed by (src, dst, protocol, id) and
// discarded after a timeout (15 s, the RFC 791 suggestion; IOS's own value is
// not documented in our references). Overlapping fragments drop the whole
// datagram (exact duplicates are ignored), as do fragments past the limits on
// buffers, fragments per datagram and bytes held. Works on raw bytes; never throws.

import { setIpv4Checksum } from "./fragment.ts";

/** Default reassembly timeout: 15 s in nanoseconds. */
export const REASSEMBLY_TIMEOUT_NS = 15_000_000_000;

/** Limits and timeout of a reassembler. */
export interface ReassemblyOptions {
  timeoutNs?: number;
  maxBuffers?: number;
  maxFragmentsPerDatagram?: number;
  maxTotalBytes?: number;
}

/** `show ip traffic` style counters. */
export interface ReassemblyCounters {
  /** Fragments received. */
  fragments: number;
  /** Datagrams rebuilt. */
  reassembled: number;
  /** Buffers dropped on timeout. */
  timeouts: number;
  /** Datagrams or fragments given up for overlap, limits or bad headers ("couldn't reassemble"). */
  failures: number;
}

interface Piece {
  start: number;
  end: number;
  data: Uint8Array;
}

interface Buffer {
  key: string;
  firstHeader: Uint8Array | null;
  pieces: Piece[];
  totalLength: number | null;
  bytes: number;
  expiresAt: number;
}

/** Reassembly buffers of one router. */
export class Reassembler {
  /** Running counters. */
  readonly counters: ReassemblyCounters = { fragments: 0, reassembled: 0, timeouts: 0, failures: 0 };
  private readonly buffers = new Map<string, Buffer>();
  private readonly timeoutNs: number;
  private readonly maxBuffers: number;
  private readonly maxFragments: number;
  private readonly maxTotalBytes: number;
  private heldBytes = 0;

  constructor(options: ReassemblyOptions = {}) {
    this.timeoutNs = options.timeoutNs ?? REASSEMBLY_TIMEOUT_NS;
    this.maxBuffers = options.maxBuffers ?? 64;
    this.maxFragments = options.maxFragmentsPerDatagram ?? 64;
    this.maxTotalBytes = options.maxTotalBytes ?? 1 << 20;
  }

  /** Takes one fragment; returns the whole datagram once complete, else null. */
  add(fragment: Uint8Array, now: number): Uint8Array | null {
    this.expire(now);
    this.counters.fragments++;
    if (fragment.length < 20) return this.reject();
    const hlen = (fragment[0]! & 0x0f) * 4;
    const total = (fragment[2]! << 8) | fragment[3]!;
    if (hlen < 20 || total < hlen || total > fragment.length) return this.reject();
    const fo = (fragment[6]! << 8) | fragment[7]!;
    const mf = (fo & 0x2000) !== 0;
    const start = (fo & 0x1fff) * 8;
    const data = fragment.subarray(hlen, total);
    const end = start + data.length;
    if (!mf && start === 0) return fragment.slice(0, total); // not a fragment
    if ((mf && data.length % 8 !== 0) || end + 20 > 65535 || data.length === 0) return this.reject();

    const key = `${readU32(fragment, 12)}|${readU32(fragment, 16)}|${fragment[9]}|${(fragment[4]! << 8) | fragment[5]!}`;
    let buf = this.buffers.get(key);
    if (!buf) {
      if (this.buffers.size >= this.maxBuffers) return this.reject();
      buf = { key, firstHeader: null, pieces: [], totalLength: null, bytes: 0, expiresAt: now + this.timeoutNs };
      this.buffers.set(key, buf);
    }
    for (const p of buf.pieces) {
      if (start < p.end && p.start < end) {
        if (p.start === start && p.end === end && equalBytes(p.data, data)) return null; // duplicate
        return this.discard(buf);
      }
    }
    if (!mf) {
      if (buf.totalLength !== null && buf.totalLength !== end) return this.discard(buf);
      buf.totalLength = end;
    }
    if (
      (buf.totalLength !== null && end > buf.totalLength) ||
      (buf.totalLength !== null && buf.pieces.some((p) => p.end > buf!.totalLength!))
    )
      return this.discard(buf);
    if (buf.pieces.length >= this.maxFragments || this.heldBytes + data.length > this.maxTotalBytes)
      return this.discard(buf);
    if (start === 0) buf.firstHeader = fragment.slice(0, hlen);
    buf.pieces.push({ start, end, data: data.slice() });
    buf.bytes += data.length;
    this.heldBytes += data.length;

    if (buf.totalLength === null || buf.firstHeader === null || buf.bytes !== buf.totalLength) return null;
    // No overlaps and the byte count equals the length, so the pieces tile [0, total).
    const head = buf.firstHeader;
    const out = new Uint8Array(head.length + buf.totalLength);
    out.set(head);
    for (const p of buf.pieces) out.set(p.data, head.length + p.start);
    out[2] = out.length >>> 8;
    out[3] = out.length & 0xff;
    out[6] = out[6]! & 0x40; // keep DF, clear MF and offset
    out[7] = 0;
    setIpv4Checksum(out);
    this.drop(buf);
    this.counters.reassembled++;
    return out;
  }

  /** Drops buffers whose timeout passed (ICMP time-exceeded code 1 is the caller's call); returns how many. */
  expire(now: number): number {
    let n = 0;
    for (const buf of this.buffers.values()) {
      if (now >= buf.expiresAt) {
        this.drop(buf);
        n++;
      }
    }
    this.counters.timeouts += n;
    return n;
  }

  /** Earliest buffer expiry, for the owner to arm one timer; null when idle. */
  nextExpiryAt(): number | null {
    let next: number | null = null;
    for (const b of this.buffers.values()) if (next === null || b.expiresAt < next) next = b.expiresAt;
    return next;
  }

  /** Buffers in use. */
  get pending(): number {
    return this.buffers.size;
  }

  /** Payload bytes held across all buffers. */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  private reject(): null {
    this.counters.failures++;
    return null;
  }

  private discard(buf: Buffer): null {
    this.drop(buf);
    return this.reject();
  }

  private drop(buf: Buffer): void {
    this.heldBytes -= buf.bytes;
    this.buffers.delete(buf.key);
  }
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
