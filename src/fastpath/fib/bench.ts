// FIB benchmark as a library function (the CLI lives elsewhere): builds a random
// table with a BGP-like prefix length distribution and measures lookups/s at
// batch 1, 32 and 256, build time and memory for the Wasm DIR-24-8 (built in bulk
// and built one insert at a time), the plain TypeScript DIR-24-8 and the binary
// trie. Batches go the way a router hands them over: addresses written into the
// table's own input view, lookupInPlace, results read from its output view, with
// no allocation per batch; batch 1 is one lookup() call per address. The machine
// may be shared, so every figure is the best of several rounds (the median is
// kept too), and the rounds visit the implementations in turn so a busy spell
// hits them all alike.
// Wall-clock numbers; never asserted.
import type { Fib } from "../../dataplane/fib.ts";
import { BinaryTrieFib } from "./binary-trie.ts";
import type { InPlaceBatch } from "./in-place-batch.ts";
import { TsDir24Fib } from "./ts-dir24.ts";
import { WasmFib } from "./wasm-fib.ts";

/** Benchmark knobs. */
export interface FibBenchOptions {
  /** Prefixes in the table (default 500,000). */
  prefixes?: number;
  /** Lookups per measurement (default 4,000,000; the binary trie gets an eighth). */
  lookups?: number;
  /** Seed of the table and addresses (default 1). */
  seed?: number;
  /** Rounds; each figure is the best round (default 5). */
  rounds?: number;
  /** Skip the (slow) binary trie. */
  skipTrie?: boolean;
}

/** Figures for one implementation. */
export interface FibImplResult {
  name: string;
  /** How buildMs was spent: one bulk build, or one insert per prefix. */
  build: "bulk" | "inserts";
  buildMs: number;
  memoryBytes: number;
  /** Lookups per second keyed by batch size (1, 32, 256): the best round. */
  lookupsPerSec: Record<number, number>;
  /** The same, median round. */
  medianLookupsPerSec: Record<number, number>;
}

/** Benchmark output. */
export interface FibBenchResult {
  prefixes: number;
  rounds: number;
  results: FibImplResult[];
}

/** Share of prefixes per length, shaped after public BGP tables (mostly /24), plus some /25-/32. */
const LENGTH_SHARES: [number, number][] = [
  [8, 0.0001],
  [10, 0.0003],
  [12, 0.001],
  [13, 0.002],
  [14, 0.004],
  [15, 0.006],
  [16, 0.014],
  [17, 0.01],
  [18, 0.02],
  [19, 0.035],
  [20, 0.05],
  [21, 0.055],
  [22, 0.1],
  [23, 0.1],
  [24, 0.5925],
  [25, 0.001],
  [26, 0.001],
  [27, 0.001],
  [28, 0.001],
  [29, 0.001],
  [30, 0.002],
  [32, 0.003],
];

const BATCHES = [1, 32, 256];

/** xorshift32 generator (deterministic). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Random table: parallel arrays of prefix, length and path list (64 next hops). */
export function randomTable(
  count: number,
  seed = 1,
): { prefix: Uint32Array; length: Uint8Array; pathList: Int32Array } {
  const next = rng(seed);
  const prefix = new Uint32Array(count);
  const length = new Uint8Array(count);
  const pathList = new Int32Array(count);
  const cumulative: [number, number][] = [];
  let acc = 0;
  for (const [l, s] of LENGTH_SHARES) cumulative.push([l, (acc += s)]);
  for (let i = 0; i < count; i++) {
    const r = (next() / 0x100000000) * acc;
    const l = cumulative.find(([, c]) => r < c)?.[0] ?? 24;
    length[i] = l;
    prefix[i] = (next() & (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0)) >>> 0;
    pathList[i] = next() & 63;
  }
  return { prefix, length, pathList };
}

type BenchFib = Fib & InPlaceBatch & { memoryBytes: number };
type Table = ReturnType<typeof randomTable>;

interface Contender {
  name: string;
  build: "bulk" | "inserts";
  make: (table: Table) => BenchFib;
  /** Share of the address stream this one looks up (the trie is slow). */
  share: number;
}

function insertAll(fib: Fib, table: Table): void {
  for (let i = 0; i < table.prefix.length; i++) fib.insert(table.prefix[i]!, table.length[i]!, table.pathList[i]!);
}

/** Lookups/s over addrs, one lookup() per address. */
function measureSingle(fib: Fib, addrs: Uint32Array): number {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < addrs.length; i++) sink ^= fib.lookup(addrs[i]!);
  const ms = performance.now() - t0;
  if (sink === 0x7fffffff) console.log(""); // keep the loop alive
  return (addrs.length / ms) * 1000;
}

/** Lookups/s over addrs in batches written into the table's own views. */
function measureBatch(fib: InPlaceBatch, addrs: Uint32Array, batch: number): number {
  const input = fib.inputView();
  const output = fib.outputView();
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i + batch <= addrs.length; i += batch) {
    for (let k = 0; k < batch; k++) input[k] = addrs[i + k]!;
    fib.lookupInPlace(batch);
    sink ^= output[batch - 1]!;
  }
  const ms = performance.now() - t0;
  if (sink === 0x7fffffff) console.log("");
  return ((Math.floor(addrs.length / batch) * batch) / ms) * 1000;
}

/** Measures the FIBs on one random table. */
export function benchFib(options: FibBenchOptions = {}): FibBenchResult {
  const prefixes = options.prefixes ?? 500_000;
  const rounds = Math.max(1, options.rounds ?? 5);
  const table = randomTable(prefixes, options.seed ?? 1);
  const next = rng((options.seed ?? 1) + 1);
  const addrs = new Uint32Array(options.lookups ?? 4_000_000);
  for (let i = 0; i < addrs.length; i++) addrs[i] = next();
  const contenders: Contender[] = [
    {
      name: "wasm-dir24-8",
      build: "bulk",
      make: (t) => {
        const fib = new WasmFib({ expectedPrefixes: prefixes });
        fib.build(t.prefix, t.length, t.pathList);
        return fib;
      },
      share: 1,
    },
    {
      name: "wasm-dir24-8-inserts",
      build: "inserts",
      make: (t) => {
        const fib = new WasmFib({ expectedPrefixes: prefixes });
        insertAll(fib, t);
        return fib;
      },
      share: 1,
    },
    {
      name: "ts-dir24-8",
      build: "inserts",
      make: (t) => {
        const fib = new TsDir24Fib();
        insertAll(fib, t);
        return fib;
      },
      share: 1,
    },
  ];
  if (!options.skipTrie) {
    contenders.push({
      name: "ts-binary-trie",
      build: "inserts",
      make: (t) => {
        const fib = new BinaryTrieFib();
        insertAll(fib, t);
        return fib;
      },
      share: 1 / 8,
    });
  }

  const results: FibImplResult[] = contenders.map((c) => ({
    name: c.name,
    build: c.build,
    buildMs: Infinity,
    memoryBytes: 0,
    lookupsPerSec: {},
    medianLookupsPerSec: {},
  }));
  const samples: Record<number, number[]>[] = contenders.map(() => ({}));
  const fibs: BenchFib[] = [];
  // Builds take the best of up to three rounds (the slow ones take a second each).
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    contenders.forEach((c, i) => {
      const t0 = performance.now();
      const fib = c.make(table);
      const ms = performance.now() - t0;
      const result = results[i]!;
      result.buildMs = Math.min(result.buildMs, ms);
      result.memoryBytes = fib.memoryBytes;
      fibs[i] = fib; // the previous round's table is garbage now
    });
  }
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, i) => {
      const fib = fibs[i]!;
      const stream = addrs.subarray(0, Math.max(256, Math.floor(addrs.length * c.share)));
      if (r === 0) measureBatch(fib, stream.subarray(0, stream.length >>> 4), 32); // warm-up
      for (const batch of BATCHES) {
        const rate = batch === 1 ? measureSingle(fib, stream) : measureBatch(fib, stream, batch);
        (samples[i]![batch] ??= []).push(rate);
      }
    });
  }
  results.forEach((result, i) => {
    for (const batch of BATCHES) {
      const sorted = samples[i]![batch]!.sort((a, b) => a - b);
      result.lookupsPerSec[batch] = sorted[sorted.length - 1]!;
      result.medianLookupsPerSec[batch] = sorted[sorted.length >> 1]!;
    }
  });
  return { prefixes, rounds, results };
}
