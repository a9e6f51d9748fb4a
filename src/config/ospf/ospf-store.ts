// A router's OSPF configuration as the IOS commands build it: the `router
// ospf N` processes and the `ip ospf ...` settings of each interface, kept
// beside the device (keyed by it) so the router model needs no OSPF fields.
// Each process's OspfProcessConfig is the object its running instance reads;
// after a change the commands call reconfigure() on the instance.

import { entryMatches } from "../../dataplane/acl.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { evaluateRouteMap } from "../../dataplane/route-map.ts";
import {
  emptyOspfConfig,
  type OspfInterfaceSettings,
  type OspfProcessConfig,
} from "../../protocols/ospf/ospf-config.ts";
import type { OspfInstance } from "../../protocols/ospf/ospf-instance.ts";
import { routePolicy, routePolicyLookups } from "../route-policy/route-policy-store.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** One `router ospf N` block. */
export interface OspfProcessState {
  readonly config: OspfProcessConfig;
  /** `distribute-list ACL in`. */
  distributeList?: string;
  /** `log-adjacency-changes` (IOS default on), `... detail`, or `no log-adjacency-changes`. */
  logAdjacency: "on" | "detail" | "off";
  /** How each area was typed (`area 0` or `area 0.0.0.0`), so the running config prints it back the same way. */
  readonly areaText: Map<number, string>;
}

/** `ip ospf ...` of one interface, with the process of `ip ospf N area A`. */
export interface OspfInterfaceState extends OspfInterfaceSettings {
  processId?: number;
  /** The area as typed (`0` or `0.0.0.0`). */
  areaText?: string;
}

/** A router's OSPF processes. */
export interface OspfDeviceState {
  readonly processes: Map<number, OspfProcessState>;
}

const states = new WeakMap<RouterDevice, OspfDeviceState>();
/** `ip ospf ...` settings live with the interface they configure (a deleted interface takes them along). */
const interfaces = new WeakMap<RouterInterface, OspfInterfaceState>();

/** The OSPF configuration of a device (created empty on first use). */
export function ospfState(device: RouterDevice): OspfDeviceState {
  let s = states.get(device);
  if (s === undefined) {
    s = { processes: new Map() };
    states.set(device, s);
  }
  return s;
}

/** The `ip ospf` settings of an interface, if any were configured. */
export function interfaceSettingsOf(ifc: RouterInterface): OspfInterfaceState | undefined {
  return interfaces.get(ifc);
}

/** The instance name a process runs under in the router's protocol set. */
export const instanceName = (processId: number): string => `ospf ${processId}`;

/** A running process, if any. */
export function ospfInstance(device: RouterDevice, processId: number): OspfInstance | undefined {
  return device.protocols.get(instanceName(processId)) as OspfInstance | undefined;
}

/** Settings of an interface, created empty on first use. */
export function interfaceState(ifc: RouterInterface): OspfInterfaceState {
  let s = interfaces.get(ifc);
  if (s === undefined) {
    s = { md5Keys: new Map() };
    interfaces.set(ifc, s);
  }
  return s;
}

/** A new process's state; its config reads the device's interface settings and ACLs when asked. */
export function newProcessState(device: RouterDevice, processId: number): OspfProcessState {
  const process: OspfProcessState = {
    config: {
      ...emptyOspfConfig(processId),
      interfaceSettings: (name) => {
        const ifc = device.stack.interface(name);
        const s = ifc === undefined ? undefined : interfaces.get(ifc);
        if (s === undefined) return undefined;
        // `ip ospf M area A` for another process M puts the interface in that process only.
        return s.processId === undefined || s.processId === processId ? s : { ...s, area: undefined };
      },
      routeMap: (name, subject) => {
        const map = routePolicy(device).routeMaps.get(name);
        return map === undefined ? undefined : evaluateRouteMap(map, subject, routePolicyLookups(device));
      },
    },
    logAdjacency: "on",
    areaText: new Map(),
  };
  process.config.distributeIn = (prefix) => {
    if (process.distributeList === undefined) return true;
    const acl = device.acls.get(process.distributeList);
    // A list that does not exist filters nothing, as on IOS.
    if (acl === undefined) return true;
    for (const e of acl.entries)
      if (entryMatches(e, { src: prefix, dst: 0, protocol: 0, tos: 0 })) return e.action === "permit";
    return false;
  };
  return process;
}

/** Tells every running process that the configuration changed. */
export function reconfigureAll(device: RouterDevice): void {
  for (const id of ospfState(device).processes.keys()) ospfInstance(device, id)?.reconfigure();
}
