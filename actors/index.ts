// Device kinds a lab can hold, by the `kind` written in a topology.
import type { DeviceFactory } from "../src/runtime/device.ts";
import { createHost } from "./host.ts";
import { createLinuxHost } from "./linux-host.ts";
import { createRouter } from "./router.ts";

/** Factories by device kind. */
export const deviceFactories: Record<string, DeviceFactory> = {
  router: createRouter,
  host: createHost,
  "linux-host": createLinuxHost,
};
