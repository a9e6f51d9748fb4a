// The legacy queueing commands as a strategy provider: `fair-queue`,
// `no fair-queue`, `priority-group N` and `custom-queue-list N` on an
// interface, with `hold-queue N out`; IOS's default when none is given is WFQ
// on serial interfaces at E1 speed (2048 kbit/s) and below, FIFO elsewhere.
// The priority-list and queue-list definitions are global (legacy-lists.ts)
// and kept here, per device.

import type { AccessList } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { CqScheduler } from "./cq-scheduler.ts";
import { FifoScheduler } from "./fifo-scheduler.ts";
import { newPriorityList, newQueueList, type PriorityList, type QueueList } from "./legacy-lists.ts";
import type { OutputScheduler, SchedulerProvider } from "./output-scheduler.ts";
import { PqScheduler } from "./pq-scheduler.ts";
import {
  defaultDynamicQueues,
  type FairQueueConfig,
  WFQ_DEFAULT_CDT,
  WFQ_HOLD_QUEUE,
  WfqScheduler,
} from "./wfq-scheduler.ts";

/** What the legacy interface commands chose (undefined on the interface: IOS's default). */
export type InterfaceQueueing =
  | { kind: "fifo" }
  | { kind: "fair"; cdt: number; dynamic?: number; reservable: number }
  | { kind: "priority"; list: number }
  | { kind: "custom"; list: number };

/** Interfaces at or below this bandwidth (kbit/s) run WFQ by default when serial. */
export const WFQ_DEFAULT_MAX_KBPS = 2048;

/** IOS's strategy for an interface without queueing commands. */
export function defaultQueueing(ifc: RouterInterface): InterfaceQueueing {
  if (ifc.kind === "serial" && ifc.bandwidthKbps <= WFQ_DEFAULT_MAX_KBPS)
    return { kind: "fair", cdt: WFQ_DEFAULT_CDT, reservable: 0 };
  return { kind: "fifo" };
}

/** The strategy the legacy configuration gives an interface (its default resolved). */
export function effectiveQueueing(ifc: RouterInterface): InterfaceQueueing {
  return ifc.config.queueing ?? defaultQueueing(ifc);
}

/** The WFQ parameters an interface runs with (dynamic queues from the bandwidth unless given). */
export function fairQueueConfig(
  ifc: RouterInterface,
  q: { cdt: number; dynamic?: number; reservable: number },
): FairQueueConfig {
  return { cdt: q.cdt, dynamic: q.dynamic ?? defaultDynamicQueues(ifc.bandwidthKbps), reservable: q.reservable };
}

/** The legacy queueing of one device: the interface commands' strategies and the global lists. */
export class LegacyQueueing implements SchedulerProvider {
  /** `priority-list N ...` by number. */
  readonly priorityLists = new Map<number, PriorityList>();
  /** `queue-list N ...` by number. */
  readonly queueLists = new Map<number, QueueList>();
  /** Bumped when a list changes: schedulers built from the old version are rebuilt. */
  private listVersion = 0;

  constructor(readonly acl: (name: string) => AccessList | undefined) {}

  /** A list changed (the caller then invalidates the output queues). */
  listsChanged(): void {
    this.listVersion++;
  }

  schedulerFor(ifc: RouterInterface): { key: string; create: () => OutputScheduler } | null {
    const q = effectiveQueueing(ifc);
    const hold = ifc.config.holdQueueOut;
    switch (q.kind) {
      case "fair": {
        const fq = fairQueueConfig(ifc, q);
        const limit = hold ?? WFQ_HOLD_QUEUE;
        const bw = ifc.bandwidthKbps;
        return {
          key: `fair ${fq.cdt} ${fq.dynamic} ${fq.reservable} ${limit} ${bw}`,
          create: () => new WfqScheduler(fq, limit, bw),
        };
      }
      case "priority": {
        // A list not (yet) defined queues everything in normal with IOS's limits.
        const list = this.priorityLists.get(q.list) ?? newPriorityList();
        return {
          key: `priority ${q.list} ${this.listVersion}`,
          create: () => new PqScheduler(q.list, list, this.acl),
        };
      }
      case "custom": {
        const list = this.queueLists.get(q.list) ?? newQueueList();
        return {
          key: `custom ${q.list} ${this.listVersion}`,
          create: () => new CqScheduler(q.list, list, this.acl),
        };
      }
      default:
        return { key: `fifo ${hold}`, create: () => new FifoScheduler(hold) };
    }
  }
}
