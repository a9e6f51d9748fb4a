// Where a partition runs: inline in the coordinator's thread, or in a Bun
// Worker that speaks msgpack over postMessage. Workers exchange frames among
// themselves over MessagePorts (peer-exchange.ts); the coordinator only hands
// out epochs, commands and wire changes, and collects what each epoch
// produced (traces, syslog, replies, captures). The coordinator sees the same
// interface either way.

import type { DeviceFactory, TimeNs } from "./device.ts";
import { decodeMessage, encodeMessage } from "./frame-codec.ts";
import { type CrossEvent, Partition, type PartitionOptions, type WindowResult } from "./partition.ts";
import { PeerExchange } from "./peer-exchange.ts";

/** A partition the coordinator can drive. */
export interface PartitionHost {
  /**
   * Runs the epoch up to untilNs after queueing the inbound events (from the
   * coordinator); `bounds` is every partition's earliest event, inbound
   * included; with gridNs > 0 the epoch ends on the grid point after the
   * first command that finishes (see PeerExchange.runEpoch).
   */
  advance(untilNs: TimeNs, inbound: CrossEvent[], bounds: TimeNs[], gridNs: TimeNs): Promise<WindowResult>;
  close(): void;
}

/** Runs the partition in this thread (the only partition: nothing to exchange). */
export class InlineHost implements PartitionHost {
  private readonly partition: Partition;
  private readonly alone = new PeerExchange(0, 1);
  constructor(private readonly opts: PartitionOptions) {
    this.partition = new Partition(opts);
  }
  advance(untilNs: TimeNs, inbound: CrossEvent[], _bounds: TimeNs[], gridNs: TimeNs): Promise<WindowResult> {
    this.partition.absorb(inbound);
    return this.alone.runEpoch(this.partition, this.opts.placement, Infinity, untilNs, [], gridNs);
  }
  close(): void {}
}

/** Init message for a Worker: the partition options without the factories (the Worker imports its own). */
export type WorkerInit = Omit<PartitionOptions, "factories"> & {
  /** Partitions in the lab. */
  partitions: number;
  /** Smallest latency of any wire between partitions: how far ahead of the others a partition may run. */
  lookaheadNs: TimeNs;
};

/** Runs the partition in a Bun Worker (actors/worker.ts). */
export class WorkerHost implements PartitionHost {
  private readonly worker: Worker;
  private waiting: ((r: WindowResult) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  private ready: Promise<void>;

  constructor(init: WorkerInit) {
    // The Worker gets the environment as it is now (e.g. WANLAB_CRYPTO set by --crypto after start-up).
    this.worker = new Worker(new URL("../../actors/worker.ts", import.meta.url).href, {
      env: { ...process.env },
    } as WorkerOptions);
    let resolveReady: () => void = () => {};
    let rejectReady: (e: Error) => void = () => {};
    this.ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.worker.onmessage = (ev: MessageEvent) => {
      const msg = decodeMessage<{ type: string; result?: WindowResult; error?: string }>(ev.data as ArrayBuffer);
      if (msg.type === "ready") resolveReady();
      else if (msg.type === "error") {
        const err = new Error(msg.error);
        rejectReady(err);
        this.failed?.(err);
      } else if (msg.type === "result") {
        const w = this.waiting;
        this.waiting = null;
        w?.(msg.result!);
      }
    };
    this.worker.onerror = (ev) => {
      const err = new Error(`partition worker failed: ${ev.message}`);
      rejectReady(err);
      this.failed?.(err);
    };
    const buf = encodeMessage({ type: "init", init });
    this.worker.postMessage(buf, [buf]);
  }

  /** Gives the Worker its port to partition `peer` (before the first epoch). */
  connect(peer: number, port: MessagePort): void {
    this.worker.postMessage({ type: "peer", peer, port }, [port]);
  }

  async advance(untilNs: TimeNs, inbound: CrossEvent[], bounds: TimeNs[], gridNs: TimeNs): Promise<WindowResult> {
    await this.ready;
    return new Promise<WindowResult>((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      const buf = encodeMessage({ type: "advance", untilNs, inbound, bounds, gridNs });
      this.worker.postMessage(buf, [buf]);
    });
  }

  close(): void {
    this.worker.terminate();
  }
}

/** Connects every pair of Workers with a MessageChannel of their own. */
export function connectPeers(hosts: readonly WorkerHost[]): void {
  for (let p = 0; p < hosts.length; p++)
    for (let q = p + 1; q < hosts.length; q++) {
      const channel = new MessageChannel();
      hosts[p]!.connect(q, channel.port1);
      hosts[q]!.connect(p, channel.port2);
    }
}

/** Worker side: answers init/peer/advance messages for one partition. */
export function serveWorker(
  scope: { onmessage: ((ev: MessageEvent) => void) | null; postMessage(msg: unknown, transfer?: ArrayBuffer[]): void },
  factories: Record<string, DeviceFactory>,
): void {
  let partition: Partition | null = null;
  let init: WorkerInit | null = null;
  let peers: PeerExchange | null = null;
  const post = (value: unknown): void => {
    const buf = encodeMessage(value);
    scope.postMessage(buf, [buf]);
  };
  const fail = (err: unknown): void =>
    post({ type: "error", error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  scope.onmessage = (ev: MessageEvent) => {
    if (!(ev.data instanceof ArrayBuffer)) {
      // A port to another partition (structured clone: ports cannot ride in msgpack).
      const msg = ev.data as { type: string; peer: number; port: MessagePort };
      if (msg.type === "peer") peers!.connect(msg.peer, msg.port);
      return;
    }
    const msg = decodeMessage<{
      type: string;
      init?: WorkerInit;
      untilNs?: number;
      bounds?: number[];
      gridNs?: number;
      inbound?: CrossEvent[];
    }>(ev.data);
    try {
      if (msg.type === "init") {
        init = msg.init!;
        peers = new PeerExchange(init.self, init.partitions);
        partition = new Partition({ ...init, factories });
        post({ type: "ready" });
      } else if (msg.type === "advance") {
        partition!.absorb(msg.inbound!);
        peers!
          .runEpoch(partition!, init!.placement, init!.lookaheadNs, msg.untilNs!, msg.bounds!, msg.gridNs!)
          .then((result) => post({ type: "result", result }), fail);
      }
    } catch (err) {
      fail(err);
    }
  };
}
