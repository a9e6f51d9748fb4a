// QoS benchmark as a library function (the CLI is src/cli/bench.ts, `bench qos`):
//   scheduler   packets/s through one congested interface's WFQ: every packet
//               is one enqueue and one dequeue of a single descriptor (as the
//               output queue calls it, src/dataplane/qos/wfq-scheduler.ts) with
//               about two packets per flow waiting, for 16, 1,000 and 10,000
//               flows; the Wasm scheduler against the TypeScript reference
//               (binary heap), interleaved rounds, best round each
//               (src/fastpath/sched/bench.ts does the timing).
//   forwarding  the chain of `bench forwarding` (src/bench/forwarding.ts) with
//               `fair-queue` on every link against `no fair-queue` (FIFO), at
//               each offered rate: at a rate the links carry no queue forms and
//               WFQ is bypassed (the idle fast path); above the line rate the
//               first router's link queues and its scheduler runs per packet.
// Wall-clock figures on a possibly shared machine: reported, never asserted.

import { benchSched } from "../fastpath/sched/bench.ts";
import type { ChainLinkKind, ChainQueueing } from "./chain-lab.ts";
import { benchForwarding, type ForwardingResult } from "./forwarding.ts";

/** Benchmark knobs. */
export interface QosBenchOptions {
  /** Flow counts for the scheduler (default 16, 1,000, 10,000). */
  flows?: number[];
  /** Packets through the scheduler per implementation and flow count, over all rounds (default 2,000,000). */
  schedulerPackets?: number;
  /** Interleaved rounds of the scheduler measurement (default 5). */
  schedulerRounds?: number;
  /** Routers in the forwarding chain (default 8); 0 skips the forwarding part. */
  routers?: number;
  /** Datagrams per forwarding run (default 100,000). */
  packets?: number;
  /** Datagram size in bytes (default 100). */
  size?: number;
  /** Offered rates in packets/s (default 500,000 and 1,000,000: under and over gigabit's ~900,000 at 100 bytes). */
  rates?: number[];
  /** Forwarding rounds, best reported (default 3). */
  rounds?: number;
  link?: ChainLinkKind;
  /** Wall clock in ms (default performance.now). */
  now?: () => number;
  progress?: (what: string) => void;
}

/** One flow count: packets/s of each implementation. */
export interface QosSchedulerRow {
  flows: number;
  wasmPps: number;
  tsPps: number;
  /** Wasm over TypeScript. */
  ratio: number;
}

/** One offered rate: the chain with FIFO and with WFQ on every link. */
export interface QosForwardingRow {
  ratePps: number;
  fifo: ForwardingResult;
  wfq: ForwardingResult;
  /** WFQ's packet-hops/s over FIFO's (the target: at least 0.85). */
  ratio: number;
}

export interface QosBenchResult {
  scheduler: QosSchedulerRow[];
  forwarding: QosForwardingRow[];
}

/** Runs both measurements. */
export async function benchQos(options: QosBenchOptions = {}): Promise<QosBenchResult> {
  const progress = options.progress ?? (() => {});
  progress("scheduler");
  const sched = benchSched({
    flows: options.flows ?? [16, 1_000, 10_000],
    // benchSched counts an enqueue and a dequeue as two operations.
    operations: 2 * (options.schedulerPackets ?? 2_000_000),
    rounds: options.schedulerRounds ?? 5,
    batch: 1,
  });
  const scheduler = sched.rows.map((r) => ({
    flows: r.flows,
    wasmPps: r.wasmOpsPerSec / 2,
    tsPps: r.tsHeapOpsPerSec / 2,
    ratio: r.ratio,
  }));
  const forwarding: QosForwardingRow[] = [];
  const routers = options.routers ?? 8;
  if (routers >= 2) {
    for (const ratePps of options.rates ?? [500_000, 1_000_000]) {
      const run = (queueing: ChainQueueing) => {
        progress(`forwarding ${queueing} at ${ratePps} packets/s`);
        return benchForwarding({
          traffic: "udp",
          routers,
          packets: options.packets ?? 100_000,
          size: options.size ?? 100,
          ratePps,
          rounds: options.rounds ?? 3,
          link: options.link ?? "gigabit",
          queueing,
          workers: 0,
          now: options.now,
        });
      };
      const fifo = await run("fifo");
      const wfq = await run("fair-queue");
      forwarding.push({ ratePps, fifo, wfq, ratio: wfq.packetHopsPerSec / fifo.packetHopsPerSec });
    }
  }
  return { scheduler, forwarding };
}
