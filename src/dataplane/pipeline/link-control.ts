// Link-level control frames that are not IP: CDP (SNAP PID 0x2000 on
// Ethernet, HDLC protocol 0x2000 on serial, GRE protocol type 0x2000 in a
// tunnel). Each interface kind's driver recognises them on input and hands
// the payload here; the one receiver a device's CDP registers takes it. With
// no receiver (`no cdp run`) the frame is ignored.

import type { IpStack } from "./ip-stack.ts";
import type { RouterInterface } from "./router-interface.ts";

/** Takes a CDP payload that arrived on an interface. */
export type CdpReceiver = (ifc: RouterInterface, payload: Uint8Array) => void;

const receivers = new WeakMap<IpStack, CdpReceiver>();

/** Installs (or with null removes) the device's CDP receiver. */
export function setCdpReceiver(stack: IpStack, receiver: CdpReceiver | null): void {
  if (receiver === null) receivers.delete(stack);
  else receivers.set(stack, receiver);
}

/** A CDP payload arrived on `ifc` (called by the interface kinds). */
export function cdpInput(stack: IpStack, ifc: RouterInterface, payload: Uint8Array): void {
  const receiver = receivers.get(stack);
  receiver?.(ifc, payload);
}
