// Reads frame counters out of a running lab through the console, as a user
// would: the sum of `packets input` over every interface of `show interfaces`
// on each device is the number of frames delivered to it (a tunnel interface
// counts the datagrams that came out of it, not frames: it is left out).

import type { Lab } from "../runtime/lab.ts";

/** Frames received by one device so far, summed over its interfaces (tunnels' decapsulated datagrams left out). */
export async function framesReceived(lab: Lab, device: string): Promise<number> {
  const { output } = await lab.command(device, "show interfaces");
  let total = 0;
  for (const block of output.split(/^(?=\S)/m)) {
    if (block.startsWith("Tunnel")) continue;
    for (const m of block.matchAll(/^\s+(\d+) packets input,/gm)) total += Number(m[1]);
  }
  return total;
}

/** Frames received by every device of the lab so far (each one is a packet-hop). */
export async function framesReceivedByAll(lab: Lab): Promise<number> {
  let total = 0;
  for (const d of lab.spec.devices) total += await framesReceived(lab, d.name);
  return total;
}
