// Null0: the bit bucket. Routes to it discard what matches them.

import type { InterfaceKindDriver } from "./interface-kind.ts";

/** `interface Null0`. */
export const nullKind: InterfaceKindDriver = {
  kind: "null",
  hasPort: false,
  defaultMtu: 1500,
  discardsAll: true,
  defaultDelayTensOfUs: () => 100,
  defaultBandwidthKbps: null,
  output(_stack, egress) {
    return { ok: false, failure: "noRoute", egress };
  },
};
