// The `wasm` ESP backend: batches of packets of one SA go through
// wasm/assembly/esp.ts, which pads, encrypts and authenticates (or verifies,
// decrypts and checks the padding) in linear memory: each packet is copied in
// once and out once. Module instances come from a small per-process pool; an
// instance holds one SA's key schedules at a time, and an SA that finds its
// instance taken by another re-keys the least recently used one (microseconds:
// key expansion and the HMAC pads; tens for 3DES). Large batches are cut into
// chunks to bound linear memory.

import type { HashAlgorithm } from "../crypto/types.ts";
import { arenaPool, type WasmArena } from "../crypto/wasm-instance.ts";
import type { EngineOpened, EspEngine } from "./sa.ts";
import type { EspSaKeys } from "./types.ts";
import { bodyLength, type EspTransform, HEADER_LENGTH } from "./wire.ts";

interface EspExports {
  configure(
    cipher: number,
    keyPtr: number,
    keyLen: number,
    hash: number,
    hKeyPtr: number,
    hKeyLen: number,
    icvLen: number,
    spi: number,
  ): number;
  seal(table: number, n: number, scratch: number): number;
  open(table: number, n: number, scratch: number): number;
}

const HASH_ID: Readonly<Record<HashAlgorithm, number>> = { md5: 0, sha1: 1, sha256: 2, sha384: 3, sha512: 4 };
const STATUS_OK = 0;
const STATUS_AUTH_FAILED = 1;
/** Scratch bytes per item the module needs for its inner tables (SCRATCH_PER_ITEM in esp.ts). */
const SCRATCH_PER_ITEM = 64;
/** At most this many packets, and about this many bytes, per Wasm call. */
const MAX_CHUNK_PACKETS = 64;
const MAX_CHUNK_BYTES = 256 * 1024;

/** The process-wide pool of esp.wasm instances (8 of about 130 KB: a hub's busiest SAs keep theirs). */
const pool = arenaPool<EspExports>("esp");

/** Cuts [0, n) into chunks of at most MAX_CHUNK_PACKETS packets and about MAX_CHUNK_BYTES bytes. */
function chunks(n: number, bytesOf: (i: number) => number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0,
    bytes = 0;
  for (let i = 0; i < n; i++) {
    const b = bytesOf(i);
    if (i > start && (i - start >= MAX_CHUNK_PACKETS || bytes + b > MAX_CHUNK_BYTES)) {
      out.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += b;
  }
  if (n > start) out.push([start, n]);
  return out;
}

/** ESP arithmetic for one SA in WebAssembly, batch by batch. */
export class WasmEspEngine implements EspEngine {
  readonly backend = "wasm";

  constructor(
    private readonly keys: EspSaKeys,
    private readonly transform: EspTransform,
  ) {}

  /** A pooled instance keyed for this SA. */
  private arena(): WasmArena<EspExports> {
    return pool.acquire(this, (arena) => {
      this.configure(arena);
      return true;
    })!;
  }

  /** Keys an instance for this SA (called by the pool). The keys were checked by espTransform. */
  configure(arena: WasmArena<EspExports>): void {
    const k = this.keys;
    const cipher = k.encryption === null ? 0 : k.encryption.startsWith("aes") ? 1 : 2;
    const key = k.encryption === null ? new Uint8Array(0) : k.encryptionKey;
    const hKey = k.integrity === null ? new Uint8Array(0) : k.integrityKey;
    arena.reset();
    const keyAt = arena.put(key);
    const hKeyAt = arena.put(hKey);
    const rc = arena.exports.configure(
      cipher,
      keyAt,
      key.length,
      k.integrity === null ? -1 : HASH_ID[k.integrity],
      hKeyAt,
      hKey.length,
      this.transform.icvLength,
      k.spi >>> 0,
    );
    arena.u8.fill(0, keyAt, hKeyAt + hKey.length); // no key bytes left in scratch memory
    if (rc !== 0) throw new Error(`esp.wasm refused the SA keys (status ${rc})`);
  }

  seal(
    payloads: readonly Uint8Array[],
    nextHeaders: readonly number[],
    sequences: readonly number[],
    ivs: readonly Uint8Array[],
  ): Uint8Array[] {
    const t = this.transform;
    const out: Uint8Array[] = [];
    const lengths = payloads.map((p) => HEADER_LENGTH + t.ivLength + bodyLength(t, p.length) + t.icvLength);
    for (const [from, to] of chunks(payloads.length, (i) => lengths[i]!)) {
      const a = this.arena();
      const n = to - from;
      a.reset();
      const table = a.alloc(n * 16);
      const scratch = a.alloc(n * SCRATCH_PER_ITEM);
      let total = 0;
      for (let i = from; i < to; i++) total += (lengths[i]! + 15) & ~15;
      let at = a.alloc(total);
      const u8 = a.u8,
        u32 = a.u32;
      const starts: number[] = [];
      for (let i = from; i < to; i++) {
        const w = (table >> 2) + (i - from) * 4;
        if (t.ivLength > 0) u8.set(ivs[i]!, at + HEADER_LENGTH);
        u8.set(payloads[i]!, at + HEADER_LENGTH + t.ivLength);
        u32[w] = at;
        u32[w + 1] = payloads[i]!.length;
        u32[w + 2] = sequences[i]!;
        u32[w + 3] = nextHeaders[i]!;
        starts.push(at);
        at += (lengths[i]! + 15) & ~15;
      }
      const rc = a.exports.seal(table, n, scratch);
      if (rc !== 0) throw new Error(`esp.wasm seal refused the batch (status ${rc})`);
      for (let i = from; i < to; i++) {
        const s = starts[i - from]!;
        out.push(u8.slice(s, s + lengths[i]!));
      }
    }
    return out;
  }

  open(packets: readonly Uint8Array[]): EngineOpened[] {
    const t = this.transform;
    const out: EngineOpened[] = [];
    const bodyAt = HEADER_LENGTH + t.ivLength;
    for (const [from, to] of chunks(packets.length, (i) => packets[i]!.length)) {
      const a = this.arena();
      const n = to - from;
      a.reset();
      const table = a.alloc(n * 16);
      const scratch = a.alloc(n * SCRATCH_PER_ITEM);
      let total = 0;
      for (let i = from; i < to; i++) total += (packets[i]!.length + 15) & ~15;
      let at = a.alloc(total);
      const u8 = a.u8,
        u32 = a.u32;
      for (let i = from; i < to; i++) {
        const p = packets[i]!;
        const w = (table >> 2) + (i - from) * 4;
        u8.set(p, at);
        u32[w] = at;
        u32[w + 1] = p.length;
        at += (p.length + 15) & ~15;
      }
      const rc = a.exports.open(table, n, scratch);
      if (rc !== 0) throw new Error(`esp.wasm open refused the batch (status ${rc})`);
      for (let k = 0; k < n; k++) {
        const w = (table >> 2) + k * 4;
        const status = u32[w + 2]! & 0xff;
        if (status === STATUS_OK) {
          const s = u32[w]! + bodyAt;
          out.push({ status: "ok", payload: u8.slice(s, s + u32[w + 3]!), nextHeader: u32[w + 2]! >>> 8 });
        } else {
          out.push({ status: status === STATUS_AUTH_FAILED ? "authFailed" : "malformed" });
        }
      }
    }
    return out;
  }
}
