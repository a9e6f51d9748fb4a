// Benchmark library for ESP encapsulation and decapsulation (`bun run bench
// fastpath` prints it): packets/s for three IOS transform sets at 64, 512 and
// 1400-byte payloads, three ways in the same run: the wasm backend (one call
// per batch), node:crypto per packet (the native backend: createCipheriv +
// createHmac per packet, as a TypeScript router would), and @noble/ciphers +
// @noble/hashes per packet (the ref backend; noble has no 3DES, so that row
// carries null). Decapsulation runs with anti-replay off so the same sealed
// packets can be opened again and again. Returns numbers; prints nothing.
import type { CbcAlgorithm, HashAlgorithm } from "../crypto/types.ts";
import { createEngine } from "./engines.ts";
import { EspInbound, EspOutbound } from "./sa.ts";
import type { EspBackend, EspSaKeys } from "./types.ts";
import { CIPHER_KEY_LENGTH, espTransform } from "./wire.ts";

/** One measured row: packets per second for each way (null when that library lacks the algorithm). */
export interface EspBenchRow {
  /** e.g. "aes-128-cbc + hmac-sha1-96". */
  transform: string;
  direction: "encap" | "decap";
  /** Payload bytes per packet (the inner datagram). */
  packetBytes: number;
  wasmBatchPps: number;
  nodePerPacketPps: number;
  noblePerPacketPps: number | null;
  /** wasm / node and wasm / noble. */
  ratioVsNode: number;
  ratioVsNoble: number | null;
}

/** Benchmark options. */
export interface EspBenchOptions {
  /** Payload sizes in bytes (default 64, 512, 1400). */
  sizes?: number[];
  /** Packets per wasm batch call (default 32). */
  batch?: number;
  /** Time per way and measurement in ms (default 280), split over 7 interleaved rounds of which the best counts. */
  minMs?: number;
  /**
   * Clock in ms (default: this thread's CPU time where the runtime offers it,
   * else performance.now). CPU time leaves out the time the thread spends
   * descheduled, which on a shared machine would otherwise land on whichever
   * way happened to be running; on an idle machine the two agree.
   */
  now?: () => number;
  /** Transforms to run, by name (default all three). */
  only?: string[];
}

interface BenchTransform {
  name: string;
  cipher: CbcAlgorithm;
  integrity: HashAlgorithm;
  integrityKeyLength: number;
  noble: boolean;
}

const TRANSFORMS: readonly BenchTransform[] = [
  { name: "aes-128-cbc + hmac-sha1-96", cipher: "aes-128-cbc", integrity: "sha1", integrityKeyLength: 20, noble: true },
  {
    name: "aes-256-cbc + hmac-sha256-128",
    cipher: "aes-256-cbc",
    integrity: "sha256",
    integrityKeyLength: 32,
    noble: true,
  },
  { name: "3des-cbc + hmac-md5-96", cipher: "des-ede3-cbc", integrity: "md5", integrityKeyLength: 16, noble: false },
];

/** Deterministic filler bytes (no Math.random under src/). */
function bytes(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** The main thread's CPU time in ms when the runtime reports it (Bun, Node 23+), else wall time. */
export function defaultClock(): () => number {
  const p = process as unknown as { threadCpuUsage?: () => { user: number; system: number } };
  if (typeof p.threadCpuUsage === "function") {
    const f = p.threadCpuUsage.bind(process);
    return () => {
      const u = f();
      return (u.user + u.system) / 1000;
    };
  }
  return () => performance.now();
}

/** Runs fn (which processes `per` packets) until ms have elapsed; packets per second. */
function rate(fn: () => void, per: number, ms: number, now: () => number): number {
  let packets = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < 4; k++) fn();
    packets += 4 * per;
    elapsed = now() - start;
  }
  return (packets * 1000) / elapsed;
}

/**
 * Measures several ways in interleaved rounds and keeps each way's best round:
 * on a shared machine, other load only ever slows a round down, and
 * interleaving exposes every way to the same conditions.
 */
function bestRates(
  ways: ReadonlyArray<(() => void) | null>,
  per: number,
  minMs: number,
  now: () => number,
  rounds = 7,
): Array<number | null> {
  for (const w of ways) if (w) for (let k = 0; k < 8; k++) w(); // warm up (JIT tiers, allocations)
  const best: Array<number | null> = ways.map((w) => (w ? 0 : null));
  for (let r = 0; r < rounds; r++) {
    ways.forEach((w, i) => {
      if (w) best[i] = Math.max(best[i]!, rate(w, per, minMs / rounds, now));
    });
  }
  return best;
}

/** Measures every transform at every size, encap and decap, three ways. */
export function benchFastpathEsp(options: EspBenchOptions = {}): EspBenchRow[] {
  const sizes = options.sizes ?? [64, 512, 1400];
  const batch = options.batch ?? 32;
  const minMs = options.minMs ?? 280;
  const now = options.now ?? defaultClock();
  const rows: EspBenchRow[] = [];
  let ivCounter = 0;
  const iv = (out: Uint8Array): void => {
    ivCounter++;
    for (let i = 0; i < out.length; i++) out[i] = (ivCounter * 131 + i * 17) & 0xff;
  };
  for (const tr of TRANSFORMS) {
    if (options.only && !options.only.includes(tr.name)) continue;
    const keys: EspSaKeys = {
      spi: 0x1234,
      encryption: tr.cipher,
      encryptionKey: bytes(CIPHER_KEY_LENGTH[tr.cipher], 1),
      integrity: tr.integrity,
      integrityKey: bytes(tr.integrityKeyLength, 2),
    };
    const t = espTransform(keys);
    if (!t.ok) throw new Error(t.error.detail);
    const sa = (backend: EspBackend) => {
      const engine = createEngine(backend, keys, t.value);
      return {
        out: new EspOutbound(keys, t.value, () => engine, iv, 0),
        in: new EspInbound(keys, t.value, () => engine, 0),
      };
    };
    const wasm = sa("wasm"),
      node = sa("native"),
      noble = tr.noble ? sa("ref") : null;
    for (const size of sizes) {
      const payloads = Array.from({ length: batch }, (_, i) => bytes(size, i + 100));
      const nhs = payloads.map(() => 4);
      const sealed = wasm.out.sealBatch(payloads, nhs);
      const encap = bestRates(
        [
          () => wasm.out.sealBatch(payloads, nhs),
          () => node.out.sealBatch(payloads, nhs),
          noble ? () => noble.out.sealBatch(payloads, nhs) : null,
        ],
        batch,
        minMs,
        now,
      );
      const decap = bestRates(
        [
          () => wasm.in.openBatch(sealed),
          () => node.in.openBatch(sealed),
          noble ? () => noble.in.openBatch(sealed) : null,
        ],
        batch,
        minMs,
        now,
      );
      for (const [direction, [w, n, nb]] of [
        ["encap", encap],
        ["decap", decap],
      ] as const) {
        rows.push({
          transform: tr.name,
          direction,
          packetBytes: size,
          wasmBatchPps: Math.round(w!),
          nodePerPacketPps: Math.round(n!),
          noblePerPacketPps: nb === null ? null : Math.round(nb!),
          ratioVsNode: w! / n!,
          ratioVsNoble: nb === null ? null : w! / nb!,
        });
      }
    }
  }
  return rows;
}
