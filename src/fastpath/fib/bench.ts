// FIB benchmark as a library function (the CLI lives elsewhere): builds a random
// table with a BGP-like prefix length distribution and measures lookups/s at
// batch 1, 32 and 256, build time and memory for the Wasm DIR-24-8, the plain
// TypeScript DIR-24-8 and the binary trie. Wall-clock numbers; never asserted.
import type { Fib } from "../../dataplane/fib.ts";
import { BinaryTrieFib } from "./binary-trie.ts";
import { TsDir24Fib } from "./ts-dir24.ts";
import { WasmFib } from "./wasm-fib.ts";

/** Benchmark knobs. */
export interface FibBenchOptions {
  /** Prefixes in the table (default 500,000). */
  prefixes?: number;
  /** Lookups per measurement (default 4,000,000). */
  lookups?: number;
  /** Seed of the table and addresses (default 1). */
  seed?: number;
  /** Skip the (slow) binary trie. */
  skipTrie?: boolean;
}

/** Figures for one implementation. */
export interface FibImplResult {
  name: string;
  buildMs: number;
  memoryBytes: number;
  /** Lookups per second keyed by batch size (1, 32, 256). */
  lookupsPerSec: Record<number, number>;
}

/** Benchmark output. */
export interface FibBenchResult {
  prefixes: number;
  results: FibImplResult[];
}

/** Share of prefixes per length, shaped after public BGP tables (mostly /24), plus some /25-/32. */
const LENGTH_SHARES: [number, number][] = [
  [8, 0.0001], [10, 0.0003], [12, 0.001], [13, 0.002], [14, 0.004], [15, 0.006], [16, 0.014],
  [17, 0.01], [18, 0.02], [19, 0.035], [20, 0.05], [21, 0.055], [22, 0.1], [23, 0.1], [24, 0.5925],
  [25, 0.001], [26, 0.001], [27, 0.001], [28, 0.001], [29, 0.001], [30, 0.002], [32, 0.003],
];

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
export function randomTable(count: number, seed = 1): { prefix: Uint32Array; length: Uint8Array; pathList: Int32Array } {
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

function measure(fib: Fib, addrs: Uint32Array, batch: number): number {
  const out = new Int32Array(Math.max(batch, 1));
  const view = new Uint32Array(batch);
  let sink = 0;
  const t0 = performance.now();
  if (batch === 1) {
    for (let i = 0; i < addrs.length; i++) sink ^= fib.lookup(addrs[i]!);
  } else {
    for (let i = 0; i + batch <= addrs.length; i += batch) {
      view.set(addrs.subarray(i, i + batch));
      fib.lookupBatch(view, out, batch);
      sink ^= out[0]!;
    }
  }
  const ms = performance.now() - t0;
  if (sink === 0x7fffffff) console.log(""); // keep the loop alive
  return (addrs.length / ms) * 1000;
}

function run(name: string, make: () => Fib & { memoryBytes: number }, table: ReturnType<typeof randomTable>, addrs: Uint32Array): FibImplResult {
  const t0 = performance.now();
  const fib = make();
  for (let i = 0; i < table.prefix.length; i++) fib.insert(table.prefix[i]!, table.length[i]!, table.pathList[i]!);
  const buildMs = performance.now() - t0;
  const lookupsPerSec: Record<number, number> = {};
  for (const batch of [1, 32, 256]) {
    measure(fib, addrs.subarray(0, addrs.length >>> 4), batch); // warm-up
    lookupsPerSec[batch] = measure(fib, addrs, batch);
  }
  return { name, buildMs, memoryBytes: fib.memoryBytes, lookupsPerSec };
}

/** Measures the three FIBs on one random table. */
export function benchFib(options: FibBenchOptions = {}): FibBenchResult {
  const prefixes = options.prefixes ?? 500_000;
  const table = randomTable(prefixes, options.seed ?? 1);
  const next = rng((options.seed ?? 1) + 1);
  const addrs = new Uint32Array(options.lookups ?? 4_000_000);
  for (let i = 0; i < addrs.length; i++) addrs[i] = next();
  const results = [
    run("wasm-dir24-8", () => new WasmFib({ expectedPrefixes: prefixes }), table, addrs),
    run("wasm-dir24-8-wide", () => new WasmFib({ expectedPrefixes: prefixes, layout: "wide" }), table, addrs),
    run("ts-dir24-8", () => new TsDir24Fib(), table, addrs),
  ];
  if (!options.skipTrie) results.push(run("ts-binary-trie", () => new BinaryTrieFib(), table, addrs));
  return { prefixes, results };
}
