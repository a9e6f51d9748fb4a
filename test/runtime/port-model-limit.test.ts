// The output hold queue of a port: 40 packets by default, the limit a device
// sets (`hold-queue N out`) otherwise; a frame beyond it is refused.

import { describe, expect, test } from "bun:test";
import { HOLD_QUEUE_OUT, PortModel } from "../../src/runtime/port-model.ts";
import type { WireSpec } from "../../src/runtime/topology.ts";

const wire: WireSpec = {
  id: 0,
  name: "R1-R2",
  kind: "serial",
  segment: false,
  ends: [],
  latencyNs: 0,
  bitsPerSecond: 64_000,
  mtu: 1500,
  loss: 0,
};

/** How many 100-byte frames the port accepts at one instant. */
function accepted(port: PortModel): number {
  let n = 0;
  while (port.enqueue(0, new Uint8Array(104)) >= 0 && n < 10_000) n++;
  return n;
}

describe("output hold queue limit", () => {
  test("40 by default, the device's limit once set", () => {
    const make = () => new PortModel({ index: 0, name: "Serial0/0", kind: "serial", wireId: 0 }, wire, 1, "R1");
    expect(accepted(make())).toBe(HOLD_QUEUE_OUT);
    const big = make();
    big.outputQueueLimit = 4096;
    expect(accepted(big)).toBe(4096);
    const small = make();
    small.outputQueueLimit = 3;
    expect(accepted(small)).toBe(3);
  });
});
