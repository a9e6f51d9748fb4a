// Runs a lab with TAPs on the wall clock: a LabPace that holds virtual time at
// the wall clock (src/console/wall-pacer.ts) and, while the lab waits for the
// wall clock, moves what the host sent into the TAPs into the lab; and a tick
// that keeps time passing while no command runs. Commands run paced too, so a
// ping from a lab router to a host waits for the host's real answer.

import type { WallPacer } from "../console/wall-pacer.ts";
import type { Lab, LabPace } from "../runtime/lab.ts";
import type { HostBridge } from "./host-bridge.ts";

/** How long the lab sleeps when it has caught up with the wall clock. */
const WAIT_MS = 1;

/** The pace of a lab with TAPs: never ahead of the wall clock, polling the TAPs while it waits. */
export function wallClockPace(bridge: HostBridge, lab: () => Lab | undefined, pacer: WallPacer): LabPace {
  return {
    ceiling: () => pacer.target(),
    wait: async () => {
      await Bun.sleep(WAIT_MS);
      const l = lab();
      if (l !== undefined) bridge.poll(l);
    },
  };
}

/** A running wall-clock loop. */
export interface WallClockLoop {
  /** Runs a lab command (paced: it takes the wall time it takes in the lab). */
  command(device: string, line: string): Promise<string>;
  /** Stops ticking (the lab and bridge stay open). */
  stop(): Promise<void>;
}

/** Ticks a paced lab (created with `wallClockPace`) so time passes between commands. */
export function runOnWallClock(lab: Lab, bridge: HostBridge, pacer: WallPacer, tickMs = 2): WallClockLoop {
  let busy: Promise<unknown> = Promise.resolve();
  let stopped = false;
  // One thing at a time on the lab: ticks and commands are chained.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = busy.then(fn);
    busy = next.catch(() => undefined);
    return next;
  };
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking || stopped) return;
    ticking = true;
    void serial(async () => {
      bridge.poll(lab);
      await lab.runTo(pacer.target());
    }).finally(() => {
      ticking = false;
    });
  }, tickMs);
  return {
    command: (device, line) => serial(async () => (await lab.command(device, line)).output),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await busy;
    },
  };
}
