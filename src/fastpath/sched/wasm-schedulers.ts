// Wasm schedulers: thin wrappers over wasm/assembly/sched-core.ts (one instance,
// and so one linear memory, per output queue). Descriptors are copied into the
// module's batch arrays unless the caller filled the zero-copy batch() view;
// batches of up to 64 are copied element by element, without allocating.
// Same rules and the same case suite as the references in ts-schedulers.ts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CbwfqConfig,
  type CqConfig,
  DescriptorBatch,
  type PacketScheduler,
  type PqConfig,
  planCbwfq,
  type WfqConfig,
} from "./types.ts";

interface SchedExports {
  memory: WebAssembly.Memory;
  init(mode: number, queues: number, conversations: number, pool: number, classes: number): void;
  reset(): void;
  setQueue(q: number, limit: number, quantum: number): void;
  setWfq(cdt: number, hold: number): void;
  setClass(c: number, kind: number, weight: number, limit: number, rate: number, burst: number): void;
  setPriorityQueue(q: number): void;
  enqueue(n: number, nowUs: number): number;
  dequeue(max: number): number;
  packets(): number;
  bytes(): number;
  batchSize(): number;
  ioOffset(which: number): number;
}

/** Path of the built scheduler module. */
export const SCHED_WASM_PATH = join(import.meta.dir, "..", "..", "..", "wasm", "build", "sched-core.wasm");
let compiled: WebAssembly.Module | undefined;
/** Copies of up to this many descriptors use element loops: subarray views would allocate on every call. */
const SMALL = 64;

function instantiate(): SchedExports {
  if (!compiled) {
    if (!existsSync(SCHED_WASM_PATH)) throw new Error(`${SCHED_WASM_PATH} missing: run \`bun wasm/build.ts\``);
    compiled = new WebAssembly.Module(readFileSync(SCHED_WASM_PATH));
  }
  const env = {
    abort: () => {
      throw new Error("sched-core abort");
    },
  };
  return new WebAssembly.Instance(compiled, { env }).exports as unknown as SchedExports;
}

/** Common wrapper: batch copy-in/copy-out around the Wasm batch calls. */
abstract class WasmScheduler implements PacketScheduler {
  protected readonly wasm: SchedExports;
  private io!: DescriptorBatch;
  private outIds!: Uint32Array;
  private outLens!: Uint32Array;
  private readonly max: number;

  protected constructor(
    mode: number,
    queues: number,
    conversations: number,
    pool: number,
    classes: number,
    configure: (w: SchedExports) => void,
  ) {
    this.wasm = instantiate();
    this.wasm.init(mode, queues, conversations, pool, classes);
    configure(this.wasm);
    this.wasm.reset();
    this.max = this.wasm.batchSize();
    this.views();
  }

  private views(): void {
    const buf = this.wasm.memory.buffer;
    const offsets = [0, 1, 2, 3, 4, 5].map((i) => this.wasm.ioOffset(i));
    this.io = new DescriptorBatch(this.max, buf, offsets);
    this.outIds = new Uint32Array(buf, this.wasm.ioOffset(6), this.max);
    this.outLens = new Uint32Array(buf, this.wasm.ioOffset(7), this.max);
  }

  /** Zero-copy batch in Wasm memory: fill it and pass it to enqueue. */
  batch(): DescriptorBatch {
    return this.io;
  }

  /** Enqueues batch[0..count); fills batch.verdict; returns how many were queued. */
  enqueue(batch: DescriptorBatch, count: number, nowUs: number): number {
    const io = this.io;
    if (batch === io) return this.wasm.enqueue(Math.min(count, this.max), nowUs);
    let ok = 0;
    for (let done = 0; done < count; done += this.max) {
      const n = Math.min(this.max, count - done);
      if (n <= SMALL) {
        for (let i = 0, j = done; i < n; i++, j++) {
          io.id[i] = batch.id[j]!;
          io.length[i] = batch.length[j]!;
          io.key[i] = batch.key[j]!;
          io.flow[i] = batch.flow[j]!;
          io.precedence[i] = batch.precedence[j]!;
        }
      } else {
        io.id.set(batch.id.subarray(done, done + n));
        io.length.set(batch.length.subarray(done, done + n));
        io.key.set(batch.key.subarray(done, done + n));
        io.flow.set(batch.flow.subarray(done, done + n));
        io.precedence.set(batch.precedence.subarray(done, done + n));
      }
      ok += this.wasm.enqueue(n, nowUs);
      if (n <= SMALL) for (let i = 0; i < n; i++) batch.verdict[done + i] = io.verdict[i]!;
      else batch.verdict.set(io.verdict.subarray(0, n), done);
    }
    return ok;
  }

  /** Dequeues up to max packets in transmit order. */
  dequeue(outIds: Uint32Array, max: number, outLengths?: Uint32Array): number {
    let total = 0;
    while (total < max) {
      const n = this.wasm.dequeue(Math.min(this.max, max - total));
      if (n === 0) break;
      if (n <= SMALL) {
        for (let i = 0; i < n; i++) outIds[total + i] = this.outIds[i]!;
        if (outLengths) for (let i = 0; i < n; i++) outLengths[total + i] = this.outLens[i]!;
      } else {
        outIds.set(this.outIds.subarray(0, n), total);
        if (outLengths) outLengths.set(this.outLens.subarray(0, n), total);
      }
      total += n;
      if (n < this.max) break;
    }
    return total;
  }

  /** Packets queued. */
  get packets(): number {
    return this.wasm.packets();
  }

  /** Bytes queued. */
  get bytes(): number {
    return this.wasm.bytes();
  }

  /** Drops everything queued (configuration stays). */
  clear(): void {
    this.wasm.reset();
  }
}

/** Priority queuing in Wasm (four strict queues, keys above 3 go to normal). */
export class WasmPq extends WasmScheduler {
  constructor(config: PqConfig = {}) {
    const limits = config.limits ?? [20, 40, 60, 80];
    super(
      0,
      4,
      0,
      limits.reduce((a, b) => a + b, 0),
      0,
      (w) => limits.forEach((l, q) => w.setQueue(q, l, 0)),
    );
  }
}

/** Custom queuing in Wasm (16 queues, deficit round robin by byte count). */
export class WasmCq extends WasmScheduler {
  constructor(config: CqConfig = {}) {
    const limits = Array.from({ length: 16 }, (_, i) => config.limits?.[i] ?? 20);
    const counts = Array.from({ length: 16 }, (_, i) => config.byteCounts?.[i] ?? 1500);
    super(
      1,
      16,
      0,
      limits.reduce((a, b) => a + b, 0),
      0,
      (w) => limits.forEach((l, q) => w.setQueue(q, l, counts[q]!)),
    );
  }
}

/** Flow-based WFQ in Wasm (self-clocked fair queueing, heap of conversations). */
export class WasmWfq extends WasmScheduler {
  constructor(config: WfqConfig = {}) {
    const conversations = config.conversations ?? 256;
    const hold = config.holdQueueLimit ?? 1000;
    super(2, 0, conversations, hold, 0, (w) => w.setWfq(config.cdt ?? 64, hold));
  }
}

/** CBWFQ with LLQ in Wasm. */
export class WasmCbwfq extends WasmScheduler {
  constructor(config: CbwfqConfig) {
    const plan = planCbwfq(config);
    const n = plan.kind.length;
    const pool = plan.limit.reduce((a, b) => a + b, 0);
    // FIFO queues: 0..n-1 the classes, n the LLQ; the fair-queue class has the WFQ engine's conversations
    super(3, n + 1, plan.conversations, pool, n, (w) => {
      w.setPriorityQueue(n);
      w.setWfq(plan.cdt, pool);
      plan.kind.forEach((k, c) => {
        const kind = k === "fifo" ? 0 : k === "priority" ? 1 : 2;
        w.setClass(c, kind, plan.weight[c]!, plan.limit[c]!, plan.rateBytesPerUs[c]!, plan.burstBytes[c]!);
      });
    });
  }
}
