// How a key server spreads one unicast rekey over its members. IOS's key
// server "generates rekey messages for only a small number of group members
// at a time" (Cisco GET VPN configuration guide, unicast rekeying): sent to
// thousands of members at one instant the messages would overflow the
// interface's output hold queue (40 packets by default) and most would wait
// for a retransmission. Members here get it in batches a millisecond apart;
// a group of up to a batch gets it at once, as before.

import type { TimerHandle } from "../../runtime/device-timers.ts";

/** Members one batch of a unicast rekey goes to. */
export const REKEY_BATCH_MEMBERS = 20;
/** Time between two batches, in ns. */
export const REKEY_BATCH_INTERVAL_NS = 1_000_000;

/** Something that can be stopped (the rest of a rekey's batches when a newer rekey starts). */
export interface Cancellable {
  cancel(): void;
}

/**
 * Calls `send` for every item, the first batch now and each next one after
 * REKEY_BATCH_INTERVAL_NS on the device's clock; cancel() drops the batches
 * not sent yet.
 */
export function sendInBatches<T>(
  items: readonly T[],
  after: (delayNs: number, name: string, fn: () => void) => TimerHandle,
  send: (item: T) => void,
): Cancellable {
  let timer: TimerHandle | null = null;
  let next = 0;
  const batch = (): void => {
    timer = null;
    const end = Math.min(items.length, next + REKEY_BATCH_MEMBERS);
    for (; next < end; next++) send(items[next]!);
    if (next < items.length) timer = after(REKEY_BATCH_INTERVAL_NS, "gdoi-rekey-batch", batch);
  };
  batch();
  return {
    cancel() {
      timer?.cancel();
      timer = null;
      next = items.length;
    },
  };
}
