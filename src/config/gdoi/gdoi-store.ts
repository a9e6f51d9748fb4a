// A router's GDOI configuration and its running protocol, kept beside the
// device (keyed by it) so the router model needs no GDOI fields. GDOI starts
// the first time a group is configured or a gdoi crypto map entry exists, and
// follows every change to groups, crypto maps and interfaces (`reconcileGdoi`).

import { GdoiConfig } from "../../protocols/gdoi/gdoi-config.ts";
import type { MemberBinding } from "../../protocols/gdoi/gdoi-context.ts";
import { type GdoiProtocol, gdoiProtocol } from "../../protocols/gdoi/gdoi-protocol.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiRenderer } from "./gdoi-syslog.ts";

const configs = new WeakMap<RouterDevice, GdoiConfig>();

/** The instance name of GDOI in the router's protocol set. */
export const GDOI_INSTANCE = "gdoi";

/** The router's `crypto gdoi group` configuration (created empty on first use). */
export function gdoiConfig(device: RouterDevice): GdoiConfig {
  let c = configs.get(device);
  if (c === undefined) {
    c = new GdoiConfig();
    configs.set(device, c);
  }
  return c;
}

/** The running GDOI protocol, if started. */
export function gdoiProtocolOf(device: RouterDevice): GdoiProtocol | undefined {
  return device.protocols.get(GDOI_INSTANCE) as GdoiProtocol | undefined;
}

/** Interfaces whose crypto map has gdoi entries naming a group. */
function memberBindings(device: RouterDevice): MemberBinding[] {
  const out: MemberBinding[] = [];
  for (const ifc of device.interfaces()) {
    const map = ifc.config.cryptoMap === undefined ? undefined : device.crypto.cryptoMaps.get(ifc.config.cryptoMap);
    if (map === undefined) continue;
    const localIfc = map.localAddressInterface === undefined ? ifc : device.stack.interface(map.localAddressInterface);
    const local = localIfc?.config.address?.address;
    if (local === undefined) continue;
    for (const e of map.entries)
      if (e.gdoi === true && e.gdoiGroup !== undefined)
        out.push({ group: e.gdoiGroup, interfaceName: ifc.name, local });
  }
  return out;
}

/** Starts GDOI on the router if it is not running (it needs ISAKMP and the crypto data plane). */
function startGdoi(device: RouterDevice): GdoiProtocol | undefined {
  const running = gdoiProtocolOf(device);
  if (running !== undefined) return running;
  const ike = device.ike;
  const ipsec = device.ipsec;
  if (ike === null || ipsec === null) return undefined;
  return device.protocols.start(
    gdoiProtocol({
      ike,
      config: gdoiConfig(device),
      crypto: device.crypto,
      dataplane: ipsec.groups,
      acl: (name) => device.acls.get(name),
      interfaceAddress: (name) => device.stack.interface(name)?.config.address?.address,
      memberBindings: () => memberBindings(device),
      rsaSigningKey: (label) => device.crypto.pki.keys.signingPair(label),
      exportKeys: (record) => device.ctx.exportKeys?.(record),
    }),
    gdoiRenderer(device),
    GDOI_INSTANCE,
  );
}

/** Follows a configuration change: GDOI starts when there is something for it to do and reconciles its groups. */
export function reconcileGdoi(device: RouterDevice): void {
  const needed = (configs.get(device)?.groups.size ?? 0) > 0 || memberBindings(device).length > 0;
  const gdoi = needed ? startGdoi(device) : gdoiProtocolOf(device);
  gdoi?.reconcile();
}
