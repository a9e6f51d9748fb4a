// `--crypto auto`: a one-time measurement of the wasm backend against the
// native one (node:crypto per packet) for each (cipher, integrity, size
// bucket) an SA actually uses, on a few hundred packets sealed and opened one
// at a time and in batches of 32 (wasm gains most on batches; a router sealing
// datagram by datagram is the one-at-a-time case). The answer is cached per process, so each transform is measured
// once, the first time an `auto` SA meets it. This reads the wall clock: it is
// the host choosing an implementation, not device logic, and nothing the lab
// computes depends on it (both backends give identical bytes).
import type { CbcAlgorithm, HashAlgorithm } from "../crypto/types.ts";
import { createEngine } from "./engines.ts";
import { EspInbound, EspOutbound } from "./sa.ts";
import type { EspBackendChooser, EspSaKeys } from "./types.ts";
import { CIPHER_KEY_LENGTH, espTransform } from "./wire.ts";

/** The payload sizes measured; a payload uses the nearest one (on a log scale). */
export const SIZE_BUCKETS = [64, 512, 1400] as const;

/** Packets per call measured: one at a time, and a batch. */
export const BATCH_SIZES = [1, 32] as const;

/** One measured bucket: packets/s (seal + open) on each backend, and the pick. */
export interface EspCalibrationRow {
  cipher: CbcAlgorithm | null;
  integrity: HashAlgorithm | null;
  bucket: number;
  /** Packets per call (1 or 32). */
  batch: number;
  wasmPps: number;
  nativePps: number;
  choice: "wasm" | "native";
}

/** Calibration options. */
export interface EspCalibrationOptions {
  /** Packets per measurement (default 256). */
  packets?: number;
  /** Packets per call of the batch measurement (default 32). */
  batch?: number;
  /** Wall clock in ms (default performance.now). */
  now?: () => number;
}

/** The bucket a payload length falls in: 64 below ~181 bytes, 512 below ~847, else 1400. */
export function sizeBucket(payloadLength: number): number {
  let best: number = SIZE_BUCKETS[0];
  for (const b of SIZE_BUCKETS) {
    if (Math.abs(Math.log(Math.max(payloadLength, 1) / b)) < Math.abs(Math.log(Math.max(payloadLength, 1) / best)))
      best = b;
  }
  return best;
}

function filler(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = (seed * 2654435761 + 7) >>> 0;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const INTEGRITY_KEY_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  md5: 16,
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** Measures wasm and native for one transform at every bucket, one packet per call and in batches. */
export function calibrateTransform(
  cipher: CbcAlgorithm | null,
  integrity: HashAlgorithm | null,
  options: EspCalibrationOptions = {},
): EspCalibrationRow[] {
  const packets = options.packets ?? 256;
  const batchSize = options.batch ?? BATCH_SIZES[1];
  const now = options.now ?? (() => performance.now());
  const keys: EspSaKeys = {
    spi: 0x1000,
    encryption: cipher,
    encryptionKey: filler(cipher === null ? 0 : CIPHER_KEY_LENGTH[cipher], 1),
    integrity,
    integrityKey: filler(integrity === null ? 0 : INTEGRITY_KEY_LENGTH[integrity], 2),
  };
  const t = espTransform(keys);
  if (!t.ok) throw new Error(`calibration: ${t.error.detail}`);
  let ivCounter = 0;
  const iv = (out: Uint8Array): void => {
    ivCounter++;
    for (let i = 0; i < out.length; i++) out[i] = (ivCounter >>> (8 * (i & 3))) & 0xff;
  };
  const rate = (backend: "wasm" | "native", size: number, batch: number): number => {
    const engine = createEngine(backend, keys, t.value);
    const out = new EspOutbound(keys, t.value, () => engine, iv, 0);
    const inb = new EspInbound(keys, t.value, () => engine, 0);
    const payloads = Array.from({ length: batch }, (_, i) => filler(size, i + 10));
    const nhs = payloads.map(() => 4);
    inb.openBatch(out.sealBatch(payloads, nhs)); // warm up
    let done = 0;
    const start = now();
    while (done < packets) {
      inb.openBatch(out.sealBatch(payloads, nhs));
      done += batch;
    }
    return (done * 1000) / Math.max(now() - start, 1e-6);
  };
  return SIZE_BUCKETS.flatMap((bucket) =>
    [1, batchSize].map((batch): EspCalibrationRow => {
      const wasmPps = rate("wasm", bucket, batch);
      const nativePps = rate("native", bucket, batch);
      return { cipher, integrity, bucket, batch, wasmPps, nativePps, choice: wasmPps >= nativePps ? "wasm" : "native" };
    }),
  );
}

/** Calibration results cached for the process, filled per transform on first use. */
export class EspCalibration {
  private readonly rows = new Map<string, EspCalibrationRow[]>();

  constructor(private readonly options: EspCalibrationOptions = {}) {}

  /** The rows for a transform, measuring it now if this is the first time. */
  measure(cipher: CbcAlgorithm | null, integrity: HashAlgorithm | null): EspCalibrationRow[] {
    const key = `${cipher}|${integrity}`;
    let r = this.rows.get(key);
    if (!r) {
      r = calibrateTransform(cipher, integrity, this.options);
      this.rows.set(key, r);
    }
    return r;
  }

  /** Every row measured so far. */
  results(): EspCalibrationRow[] {
    return [...this.rows.values()].flat();
  }

  /** The chooser: the faster backend measured for the SA's transform at the payload's bucket, one-at-a-time below 4 packets per call. */
  readonly chooser: EspBackendChooser = (keys, payloadLength, batchSize = 1) => {
    const bucket = sizeBucket(payloadLength);
    const rows = this.measure(keys.encryption, keys.integrity).filter((r) => r.bucket === bucket);
    const row = batchSize < 4 ? rows.find((r) => r.batch === 1) : rows.find((r) => r.batch !== 1);
    return row?.choice ?? "native";
  };
}

let processCalibration: EspCalibration | null = null;

/** The process-wide calibration (created on first use; each transform measured once). */
export function processEspCalibration(): EspCalibration {
  processCalibration ??= new EspCalibration();
  return processCalibration;
}
