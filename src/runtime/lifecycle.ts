// Facts about a device's life that the runtime reports as data and no live
// instance of the device can render: the device was left down after too many
// crashes, or a console command was cut short by a crash or a reload, or
// refused because the device is down. (A restarted device renders its own
// restart from ctx.boot.) The lab renders these in one place (lab.ts).

import type { TimeNs } from "./device.ts";

/** What happened to a device that it cannot say itself. */
export type LifecycleFact =
  /** More crashes in the window than the supervisor allows: the device stays down. */
  | { kind: "leftDown"; crashes: number; windowSeconds: number; error: string }
  /** The device crashed while a console command was running on it. */
  | { kind: "commandCrashed"; commandId: number; error: string }
  /** A console command was typed at a device that was left down. */
  | { kind: "commandRefused"; commandId: number };

/** A lifecycle fact ordered like a console line by (time, device, the device's sequence). */
export interface KeyedLifecycle {
  atNs: TimeNs;
  senderId: number;
  seq: number;
  receiverId: number;
  fact: LifecycleFact;
}
