// Forwarding benchmark as a library function (the CLI is src/cli/bench.ts):
// a chain of routers, one extended ping from the first router to the last
// router's loopback, virtual time run as fast as the host allows. IOS ping keeps
// one echo outstanding, so to keep many packets in the chain at once the echo
// is as large as IOS allows (18,024 bytes): the first router fragments it into
// 13 packets, every router in the middle forwards each fragment, the last one
// reassembles and answers with 13 fragments. Packet-hops are frames delivered,
// read from `show interfaces` input counters on every router before and after;
// wall time is measured around the ping command only.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { chainLab, type ChainLinkKind } from "./chain-lab.ts";
import { framesReceivedByAll } from "./interface-counters.ts";

/** One forwarding run. */
export interface ForwardingOptions {
  /** Routers in the chain (default 8). */
  routers?: number;
  /** Echo requests sent (default 1,000). */
  packets?: number;
  /** Datagram size in bytes, 36..18024 (default 18024: 13 fragments per echo at MTU 1500). */
  size?: number;
  /** 0 = inline in this thread, N = N Bun Workers (default 0). */
  workers?: number;
  link?: ChainLinkKind;
  seed?: number;
  /** Wall clock in ms (default performance.now). */
  now?: () => number;
}

/** Figures from one run. */
export interface ForwardingResult {
  routers: number;
  link: ChainLinkKind;
  workers: number;
  partitions: number;
  echoes: number;
  size: number;
  /** Echo replies received. */
  replies: number;
  /** Frames delivered to routers during the ping. */
  packetHops: number;
  /** Runtime events (frames delivered plus timers fired) during the ping. */
  events: number;
  wallMs: number;
  virtualMs: number;
  packetHopsPerSec: number;
  eventsPerSec: number;
}

/** Builds a chain, warms it up (ARP, JIT) and measures one large ping across it. */
export async function benchForwarding(options: ForwardingOptions = {}): Promise<ForwardingResult> {
  const routers = options.routers ?? 8;
  const echoes = options.packets ?? 1000;
  const size = options.size ?? 18024;
  const workers = options.workers ?? 0;
  const link = options.link ?? "gigabit";
  const now = options.now ?? (() => performance.now());
  const chain = chainLab({ routers, link, seed: options.seed });
  const lab = await Lab.create(chain.spec, { workers, factories: deviceFactories });
  try {
    const first = chain.names[0]!;
    const target = chain.loopbacks[chain.loopbacks.length - 1]!;
    await lab.run(2_000_000_000);
    // Resolves ARP on every hop (each hop drops the packet that triggers ARP, so a
    // long chain needs about two echoes per router) and warms the code up; not measured.
    await lab.command(first, `ping ${target} repeat ${2 * routers + 5} timeout 1`);
    await lab.command(first, `ping ${target} size ${size} repeat 20`);
    const framesBefore = await framesReceivedByAll(lab);
    const eventsBefore = lab.events;
    const virtualBefore = lab.now;
    const t0 = now();
    const { output } = await lab.command(first, `ping ${target} size ${size} repeat ${echoes} timeout 2`);
    const wallMs = now() - t0;
    const events = lab.events - eventsBefore;
    const virtualMs = (lab.now - virtualBefore) / 1e6;
    const packetHops = (await framesReceivedByAll(lab)) - framesBefore;
    const m = output.match(/Success rate is \d+ percent \((\d+)\/(\d+)\)/);
    if (m === null) throw new Error(`ping gave no success rate:\n${output}`);
    return {
      routers, link, workers, partitions: lab.partitions, echoes, size, replies: Number(m[1]),
      packetHops, events, wallMs, virtualMs,
      packetHopsPerSec: (packetHops * 1000) / wallMs,
      eventsPerSec: (events * 1000) / wallMs,
    };
  } finally {
    lab.close();
  }
}
