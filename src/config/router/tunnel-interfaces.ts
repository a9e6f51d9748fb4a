// Tunnel interfaces of a router: `interface TunnelN` creates one on first
// reference (as IOS does), backed by the device's GRE tunnels, whose events
// are worded here as IOS logs them (`%TUN-5-RECURDOWN`).

import { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { GreTunnels, type TunnelEvent } from "../../dataplane/tunnel/gre-tunnels.ts";
import { defaultTunnelConfig } from "../../dataplane/tunnel/tunnel-config.ts";
import type { RouterDevice } from "./router-device.ts";
import { ensureProtectionMap, vtiIpMtu } from "./tunnel-protection.ts";

const services = new WeakMap<RouterDevice, GreTunnels>();

/** The device's GRE tunnels (created with its first tunnel interface). */
export function greTunnels(device: RouterDevice): GreTunnels {
  let service = services.get(device);
  if (service === undefined) {
    service = new GreTunnels({
      stack: device.stack,
      now: () => device.now(),
      after: (delayNs, name, fn) => device.timers.after(delayNs, name, fn),
      changed: (ifc) => device.interfaceChanged(ifc),
      emit: (event) => device.log(tunnelEventText(event)),
      protect: (ifc, mapName, dgram, pathMtu) => {
        ensureProtectionMap(device, ifc);
        return device.ipsec?.protect(ifc, mapName, dgram, null, pathMtu) ?? null;
      },
      cameFromSa: (dgram) => device.ipsec?.cameFromSa(dgram) === true,
      hasSa: (mapName) => device.ipsec?.hasSa(mapName) === true,
      requestSa: (ifc, mapName) => {
        ensureProtectionMap(device, ifc);
        device.ipsec?.requestTunnelSa(ifc, mapName);
      },
      vtiMtu: (ifc, transport) => vtiIpMtu(device, ifc, transport),
    });
    services.set(device, service);
    // A VTI's line protocol follows its SA.
    const tunnels = service;
    device.ipsec?.saListeners.push(() => tunnels.scheduleEvaluation());
  }
  return service;
}

/** IOS's syslog line for a tunnel event. */
export function tunnelEventText(event: TunnelEvent): string {
  switch (event.kind) {
    case "recursiveRouting":
      return `%TUN-5-RECURDOWN: ${event.ifc.name} temporarily disabled due to recursive routing`;
  }
}

/** `interface TunnelN`: a GRE/IP tunnel interface, up with its line protocol down until it has a source and destination. */
export function createTunnelInterface(device: RouterDevice, name: string): RouterInterface {
  const ifc = new RouterInterface(name, "tunnel", null, 0, 0);
  ifc.config.tunnel = defaultTunnelConfig();
  greTunnels(device).attach(ifc);
  device.addInterface(ifc);
  device.interfaceChanged(ifc);
  return ifc;
}
