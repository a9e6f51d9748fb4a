// Builds a lab whose topology has TAPs: opens them (HostBridge), holds the lab
// to the wall clock (wallClockPace) and keeps time passing between commands
// (runOnWallClock). Labs without TAPs never come here and stay on virtual time.

import { WallPacer } from "../console/wall-pacer.ts";
import { Lab, type LabOptions } from "../runtime/lab.ts";
import type { LabSpec } from "../runtime/topology.ts";
import { HostBridge } from "./host-bridge.ts";
import { runOnWallClock, type WallClockLoop, wallClockPace } from "./wall-clock-loop.ts";

export interface TapLab {
  lab: Lab;
  bridge: HostBridge;
  pacer: WallPacer;
  loop: WallClockLoop;
  /** Stops the loop, the lab and the TAPs. */
  close(): Promise<void>;
}

/** Whether a lab's topology attaches any port to a TAP. */
export function hasTaps(spec: LabSpec): boolean {
  return spec.wires.some((w) => w.tap !== undefined);
}

/** Opens the lab's TAPs and starts the lab on the wall clock (TAPs that fail are in bridge.failures). */
export async function createTapLab(spec: LabSpec, opts: Omit<LabOptions, "tap" | "pace">): Promise<TapLab> {
  const bridge = new HostBridge(spec);
  const pacer = new WallPacer(() => performance.now() * 1e6);
  let lab: Lab | undefined;
  lab = await Lab.create(spec, { ...opts, tap: bridge, pace: wallClockPace(bridge, () => lab, pacer) });
  const loop = runOnWallClock(lab, bridge, pacer);
  const built = lab;
  return {
    lab: built,
    bridge,
    pacer,
    loop,
    close: async () => {
      await loop.stop();
      built.close();
      bridge.close();
    },
  };
}
