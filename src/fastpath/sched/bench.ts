// Scheduler benchmark as a library function (the CLI lives elsewhere): enqueue +
// dequeue operations per second for WFQ with 16, 1,000 and 10,000 backlogged
// flows, the Wasm scheduler against the TypeScript binary-heap WFQ, in batches
// of 32 descriptors. Wall-clock numbers; never asserted by tests. The machine
// may be shared, so the two run in interleaved rounds on the same traffic and
// each figure is its best round (other load only ever slows a round down).

import { TsWfq } from "./ts-schedulers.ts";
import { DescriptorBatch, type PacketScheduler } from "./types.ts";
import { WasmWfq } from "./wasm-schedulers.ts";

/** Benchmark knobs. */
export interface SchedBenchOptions {
  /** Flow counts to try (default 16, 1,000, 10,000). */
  flows?: number[];
  /** Enqueue+dequeue operations per implementation and flow count, split over the rounds (default 4,000,000). */
  operations?: number;
  /** Descriptors per call (default 32). */
  batch?: number;
  /** Interleaved rounds; each figure is the best round (default 5). */
  rounds?: number;
}

/** One row: ops/s of each implementation at a flow count. */
export interface SchedBenchRow {
  flows: number;
  wasmOpsPerSec: number;
  tsHeapOpsPerSec: number;
  ratio: number;
}

/** Benchmark output. */
export interface SchedBenchResult {
  batch: number;
  rounds: number;
  rows: SchedBenchRow[];
}

/** Empties s, builds the backlog, then times ops enqueue+dequeue operations; ops/s. */
function run(s: PacketScheduler, batch: DescriptorBatch, flows: number, ops: number, size: number): number {
  s.clear();
  let x = 12345;
  const out = new Uint32Array(size);
  const fill = (n: number): void => {
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      batch.set(i, x, 64 + (x & 1023), x % flows, (x >>> 12) & 7);
    }
  };
  // Backlog: about two packets per flow.
  for (let k = 0; k < (2 * flows) / size; k++) {
    fill(size);
    s.enqueue(batch, size, 0);
  }
  const t0 = performance.now();
  let done = 0;
  while (done < ops) {
    fill(size);
    s.enqueue(batch, size, 0);
    s.dequeue(out, size);
    done += 2 * size;
  }
  const ms = performance.now() - t0;
  return (done / ms) * 1000;
}

/** Measures Wasm WFQ against the TypeScript heap WFQ. */
export function benchSched(options: SchedBenchOptions = {}): SchedBenchResult {
  const size = options.batch ?? 32;
  const ops = options.operations ?? 4_000_000;
  const rounds = Math.max(1, options.rounds ?? 5);
  const rows: SchedBenchRow[] = [];
  for (const flows of options.flows ?? [16, 1_000, 10_000]) {
    const config = { conversations: flows, cdt: 64, holdQueueLimit: Math.max(1000, 4 * flows) };
    const wasm = new WasmWfq(config);
    const ts = new TsWfq(config);
    const tsBatch = new DescriptorBatch(size);
    run(wasm, wasm.batch(), flows, ops >>> 3, size); // warm-up
    run(ts, tsBatch, flows, ops >>> 3, size);
    let wasmOpsPerSec = 0;
    let tsHeapOpsPerSec = 0;
    for (let r = 0; r < rounds; r++) {
      wasmOpsPerSec = Math.max(wasmOpsPerSec, run(wasm, wasm.batch(), flows, ops / rounds, size));
      tsHeapOpsPerSec = Math.max(tsHeapOpsPerSec, run(ts, tsBatch, flows, ops / rounds, size));
    }
    rows.push({ flows, wasmOpsPerSec, tsHeapOpsPerSec, ratio: wasmOpsPerSec / tsHeapOpsPerSec });
  }
  return { batch: size, rounds, rows };
}
