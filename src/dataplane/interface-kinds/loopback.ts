// Loopback interfaces: always up unless shut, no port; a datagram routed out
// of one comes straight back to this device.

import type { InterfaceKindDriver } from "./interface-kind.ts";

/** `interface LoopbackN`. */
export const loopbackKind: InterfaceKindDriver = {
  kind: "loopback",
  hasPort: false,
  defaultMtu: 1514,
  defaultDelayTensOfUs: () => 500,
  defaultBandwidthKbps: 8_000_000,
  output(stack, egress, _nextHop, dgram) {
    stack.deliverLocal(dgram, null);
    return { ok: true, egress };
  },
};
