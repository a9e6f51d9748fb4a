// Where a partition runs: inline in the coordinator's thread, or in a Bun
// Worker that speaks msgpack over postMessage (frames crossing partitions ride
// packed in one binary block, see frame-batch.ts). The coordinator sees the
// same interface either way.

import type { DeviceFactory, TimeNs } from "./device.ts";
import { packFrameEvents, unpackFrameEvents } from "./frame-batch.ts";
import { decodeMessage, encodeMessage } from "./frame-codec.ts";
import { type CrossEvent, Partition, type PartitionOptions, type WindowResult } from "./partition.ts";

/** A partition the coordinator can drive. */
export interface PartitionHost {
  advance(untilNs: TimeNs, inbound: CrossEvent[]): Promise<WindowResult>;
  close(): void;
}

/** Runs the partition in this thread. */
export class InlineHost implements PartitionHost {
  private readonly partition: Partition;
  constructor(opts: PartitionOptions) {
    this.partition = new Partition(opts);
  }
  advance(untilNs: TimeNs, inbound: CrossEvent[]): Promise<WindowResult> {
    return Promise.resolve(this.partition.advance(untilNs, inbound));
  }
  close(): void {}
}

/** Init message for a Worker: the partition options without the factories (the Worker imports its own). */
export type WorkerInit = Omit<PartitionOptions, "factories">;

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
      const msg = decodeMessage<{ type: string; result?: WindowResult; frames?: Uint8Array | null; error?: string }>(
        ev.data as ArrayBuffer,
      );
      if (msg.type === "ready") resolveReady();
      else if (msg.type === "error") {
        const err = new Error(msg.error);
        rejectReady(err);
        this.failed?.(err);
      } else if (msg.type === "result") {
        if (msg.frames) unpackFrameEvents(msg.frames, msg.result!.outbound);
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

  async advance(untilNs: TimeNs, inbound: CrossEvent[]): Promise<WindowResult> {
    await this.ready;
    return new Promise<WindowResult>((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      const { others, frames } = packFrameEvents(inbound);
      const buf = encodeMessage({ type: "advance", untilNs, inbound: others, frames });
      this.worker.postMessage(buf, [buf]);
    });
  }

  close(): void {
    this.worker.terminate();
  }
}

/** Worker side: answers init/advance messages for one partition. */
export function serveWorker(
  scope: { onmessage: ((ev: MessageEvent) => void) | null; postMessage(msg: unknown, transfer?: ArrayBuffer[]): void },
  factories: Record<string, DeviceFactory>,
): void {
  let partition: Partition | null = null;
  const post = (value: unknown): void => {
    const buf = encodeMessage(value);
    scope.postMessage(buf, [buf]);
  };
  scope.onmessage = (ev: MessageEvent) => {
    const msg = decodeMessage<{
      type: string;
      init?: WorkerInit;
      untilNs?: number;
      inbound?: CrossEvent[];
      frames?: Uint8Array | null;
    }>(ev.data as ArrayBuffer);
    try {
      if (msg.type === "init") {
        partition = new Partition({ ...msg.init!, factories });
        post({ type: "ready" });
      } else if (msg.type === "advance") {
        const inbound = msg.inbound!;
        if (msg.frames) unpackFrameEvents(msg.frames, inbound);
        const result = partition!.advance(msg.untilNs!, inbound);
        const { others, frames } = packFrameEvents(result.outbound);
        result.outbound = others;
        post({ type: "result", result, frames });
      }
    } catch (err) {
      post({ type: "error", error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  };
}
