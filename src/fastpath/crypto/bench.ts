// Benchmark library for the crypto fast path (`bun run bench fastpath` wires it):
// packets/s for each primitive at 64, 512 and 1400-byte packets, three ways in
// the same run: the Wasm batch path (one call per batch of packets), node:crypto
// used per packet as a TypeScript router would (createCipheriv / createHmac per
// packet), and @noble/ciphers + @noble/hashes per packet. noble has no DES or
// 3DES, so those rows carry null for noble. Returns numbers; prints nothing.
import * as nodeCrypto from "node:crypto";
import { cbc, gcm } from "@noble/ciphers/aes.js";
import { hmac } from "@noble/hashes/hmac.js";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { AesCbcWasm } from "./aes-cbc.ts";
import { AesGcmWasm } from "./aes-gcm.ts";
import { DesCbcWasm } from "./des-cbc.ts";
import { HmacWasm } from "./hash.ts";
import { type CryptoResult, ICV_LENGTH } from "./types.ts";

/** One measured row: packets per second for each way (null when that library lacks the algorithm). */
export interface CryptoBenchRow {
  primitive: string;
  packetBytes: number;
  wasmBatchPps: number;
  nodePerPacketPps: number;
  noblePerPacketPps: number | null;
  /** wasm / node and wasm / noble. */
  ratioVsNode: number;
  ratioVsNoble: number | null;
}

/** Benchmark options. */
export interface CryptoBenchOptions {
  /** Packet sizes in bytes (default 64, 512, 1400; rounded up to the cipher block). */
  sizes?: number[];
  /** Packets per Wasm batch call (default 32). */
  batch?: number;
  /** Minimum wall time per measurement in ms (default 250). */
  minMs?: number;
  /** Wall clock in ms (default performance.now); benchmarks are the one place that reads it. */
  now?: () => number;
  /** Primitives to run (default all): aes-128-cbc, aes-256-cbc, des-ede3-cbc, des-cbc, aes-128-gcm, hmac-md5-96, hmac-sha1-96, hmac-sha256-128. */
  only?: string[];
}

function must<T>(r: CryptoResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.primitive}: ${r.error.detail}`);
  return r.value;
}

/** Deterministic filler bytes (no Math.random under src/). */
function bytes(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Runs fn (which processes `per` packets) until minMs has elapsed; packets per second. */
function rate(fn: () => void, per: number, minMs: number, now: () => number): number {
  fn(); // warm up
  let packets = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let k = 0; k < 4; k++) fn();
    packets += 4 * per;
    elapsed = now() - start;
  }
  return (packets * 1000) / elapsed;
}

type Way = (pkts: Uint8Array[]) => void;
interface Case {
  primitive: string;
  block: number;
  wasm: Way;
  node: Way;
  noble: Way | null;
}

function cases(): Case[] {
  const k16 = bytes(16, 1),
    k32 = bytes(32, 2),
    k24 = bytes(24, 3),
    k8 = bytes(8, 4),
    k20 = bytes(20, 5);
  const iv16 = bytes(16, 6),
    iv8 = bytes(8, 7),
    n12 = bytes(12, 8),
    aad8 = bytes(8, 9);
  const cbcCase = (
    primitive: string,
    key: Uint8Array,
    iv: Uint8Array,
    nodeAlg: string,
    wasm: AesCbcWasm | DesCbcWasm,
    noble: boolean,
  ): Case => ({
    primitive,
    block: iv.length,
    wasm: (pkts) => {
      must(
        wasm.encryptBatch(
          pkts.map(() => iv),
          pkts,
          pkts,
        ),
      );
    },
    node: (pkts) => {
      for (const p of pkts) {
        const c = nodeCrypto.createCipheriv(nodeAlg, key, iv);
        c.setAutoPadding(false);
        c.update(p);
        c.final();
      }
    },
    noble: noble
      ? (pkts) => {
          for (const p of pkts) cbc(key, iv, { disablePadding: true }).encrypt(p);
        }
      : null,
  });
  const hmacCase = (
    primitive: string,
    alg: "md5" | "sha1" | "sha256",
    nobleHash: typeof sha1,
    key: Uint8Array,
  ): Case => {
    const wasm = must(HmacWasm.create(alg, key, ICV_LENGTH[alg]));
    let outs: Uint8Array[] = [];
    return {
      primitive,
      block: 1,
      wasm: (pkts) => {
        if (outs.length !== pkts.length) outs = pkts.map(() => new Uint8Array(ICV_LENGTH[alg]));
        must(wasm.macBatch(pkts, outs));
      },
      node: (pkts) => {
        for (const p of pkts) nodeCrypto.createHmac(alg, key).update(p).digest().subarray(0, ICV_LENGTH[alg]);
      },
      noble: (pkts) => {
        for (const p of pkts) hmac(nobleHash, key, p).subarray(0, ICV_LENGTH[alg]);
      },
    };
  };
  const gcmWasm = must(AesGcmWasm.create(k16));
  let tags: Uint8Array[] = [];
  return [
    cbcCase("aes-128-cbc", k16, iv16, "aes-128-cbc", must(AesCbcWasm.create(k16)), true),
    cbcCase("aes-256-cbc", k32, iv16, "aes-256-cbc", must(AesCbcWasm.create(k32)), true),
    cbcCase("des-ede3-cbc", k24, iv8, "des-ede3-cbc", must(DesCbcWasm.create(k24)), false),
    cbcCase("des-cbc", k8, iv8, "des-cbc", must(DesCbcWasm.create(k8)), false),
    {
      primitive: "aes-128-gcm",
      block: 1,
      wasm: (pkts) => {
        if (tags.length !== pkts.length) tags = pkts.map(() => new Uint8Array(16));
        must(
          gcmWasm.sealBatch(
            pkts.map(() => n12),
            pkts.map(() => aad8),
            pkts,
            pkts,
            tags,
          ),
        );
      },
      node: (pkts) => {
        for (const p of pkts) {
          const c = nodeCrypto.createCipheriv("aes-128-gcm", k16, n12);
          c.setAAD(aad8);
          c.update(p);
          c.final();
          c.getAuthTag();
        }
      },
      noble: (pkts) => {
        for (const p of pkts) gcm(k16, n12, aad8).encrypt(p);
      },
    },
    hmacCase("hmac-md5-96", "md5", md5, k16),
    hmacCase("hmac-sha1-96", "sha1", sha1, k20),
    hmacCase("hmac-sha256-128", "sha256", sha256, k32),
  ];
}

/** Measures every primitive at every size, three ways; returns one row per (primitive, size). */
export function benchFastpathCrypto(options: CryptoBenchOptions = {}): CryptoBenchRow[] {
  const sizes = options.sizes ?? [64, 512, 1400];
  const batch = options.batch ?? 32;
  const minMs = options.minMs ?? 250;
  const now = options.now ?? (() => performance.now());
  const rows: CryptoBenchRow[] = [];
  for (const c of cases()) {
    if (options.only && !options.only.includes(c.primitive)) continue;
    for (const size of sizes) {
      const len = Math.ceil(size / c.block) * c.block;
      const pkts = Array.from({ length: batch }, (_, i) => bytes(len, i + 100));
      const wasm = rate(() => c.wasm(pkts), batch, minMs, now);
      const node = rate(() => c.node(pkts), batch, minMs, now);
      const noble = c.noble ? rate(() => c.noble!(pkts), batch, minMs, now) : null;
      rows.push({
        primitive: c.primitive,
        packetBytes: size,
        wasmBatchPps: Math.round(wasm),
        nodePerPacketPps: Math.round(node),
        noblePerPacketPps: noble === null ? null : Math.round(noble),
        ratioVsNode: wasm / node,
        ratioVsNoble: noble === null ? null : wasm / noble,
      });
    }
  }
  return rows;
}
