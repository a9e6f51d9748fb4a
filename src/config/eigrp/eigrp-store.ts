// A router's EIGRP configuration as the IOS commands build it: the
// `router eigrp N` processes (each EigrpConfig is the object its running
// instance reads) and the interfaces' per-AS settings (`ip hello-interval
// eigrp`, `ip hold-time eigrp`, `no ip split-horizon eigrp`, `no ip
// next-hop-self eigrp`, `ip summary-address eigrp`, `ip authentication mode
// eigrp N md5` with `ip authentication key-chain eigrp N NAME`), kept beside
// the device (keyed by it) so the router model needs no EIGRP fields. Policy
// callbacks look the device's access lists, route maps and key chains up at
// evaluation time.

import { entryMatches } from "../../dataplane/acl.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { prefixListPermits } from "../../dataplane/prefix-list.ts";
import { evaluateRouteMap } from "../../dataplane/route-map.ts";
import {
  EIGRP_DEFAULT_HELLO,
  EIGRP_DEFAULT_HOLD,
  type EigrpConfig,
  type EigrpInterfaceSettings,
  type EigrpMd5Keys,
  type EigrpSummary,
  emptyEigrpConfig,
} from "../../protocols/eigrp/eigrp-config.ts";
import type { EigrpInstance } from "../../protocols/eigrp/eigrp-instance.ts";
import { keyById, sendKey } from "../key-chain/key-chain-store.ts";
import { routePolicy, routePolicyLookups } from "../route-policy/route-policy-store.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** Per-interface settings of one AS, as configured (undefined: IOS's default). */
export interface EigrpInterfaceConfig {
  helloSeconds?: number;
  holdSeconds?: number;
  splitHorizon: boolean;
  nextHopSelf: boolean;
  summaries: EigrpSummary[];
  /** `ip authentication mode eigrp N md5`. */
  md5: boolean;
  /** `ip authentication key-chain eigrp N NAME`. */
  keyChain?: string;
}

const processes = new WeakMap<RouterDevice, Map<number, EigrpConfig>>();
const interfaceConfigs = new WeakMap<RouterInterface, Map<number, EigrpInterfaceConfig>>();

/** The instance name of AS `as` in the router's protocol set. */
export const eigrpInstanceName = (as: number): string => `eigrp ${as}`;

/** Every `router eigrp` process, by AS, in AS order. */
export function eigrpConfigs(device: RouterDevice): Map<number, EigrpConfig> {
  let m = processes.get(device);
  if (m === undefined) {
    m = new Map();
    processes.set(device, m);
  }
  return m;
}

/** The running process of an AS, if any. */
export function eigrpInstance(device: RouterDevice, as: number): EigrpInstance | undefined {
  return device.protocols.get(eigrpInstanceName(as)) as EigrpInstance | undefined;
}

/** Every running process, in AS order. */
export function eigrpInstances(device: RouterDevice): EigrpInstance[] {
  return [...eigrpConfigs(device).keys()]
    .sort((a, b) => a - b)
    .map((as) => eigrpInstance(device, as))
    .filter((i) => i !== undefined);
}

/** An interface's settings for an AS (created with IOS's defaults on first use). */
export function eigrpInterfaceConfig(ifc: RouterInterface, as: number): EigrpInterfaceConfig {
  let m = interfaceConfigs.get(ifc);
  if (m === undefined) {
    m = new Map();
    interfaceConfigs.set(ifc, m);
  }
  let c = m.get(as);
  if (c === undefined) {
    c = { splitHorizon: true, nextHopSelf: true, summaries: [], md5: false };
    m.set(as, c);
  }
  return c;
}

/** The ASes an interface has settings for (running-config). */
export function eigrpInterfaceAses(ifc: RouterInterface): Map<number, EigrpInterfaceConfig> {
  return interfaceConfigs.get(ifc) ?? new Map();
}

/** A new process configuration wired to the device's policy objects and interfaces. */
export function newEigrpConfig(device: RouterDevice, as: number): EigrpConfig {
  const config: EigrpConfig = {
    ...emptyEigrpConfig(as),
    interfaceSettings: (name): EigrpInterfaceSettings => {
      const ifc = device.stack.interface(name);
      const c = ifc === undefined ? undefined : interfaceConfigs.get(ifc)?.get(as);
      return {
        helloSeconds: c?.helloSeconds ?? EIGRP_DEFAULT_HELLO,
        holdSeconds: c?.holdSeconds ?? EIGRP_DEFAULT_HOLD,
        splitHorizon: c?.splitHorizon ?? true,
        nextHopSelf: c?.nextHopSelf ?? true,
        summaries: c?.summaries ?? [],
        ...(c?.md5 === true ? { md5: md5Keys(device, c.keyChain) } : {}),
      };
    },
    aclPermits: (acl, prefix) => {
      if (acl === "0") return true;
      const list = device.acls.get(acl);
      if (list === undefined) return false;
      const p = { src: prefix, dst: 0, protocol: 0, tos: 0 };
      for (const e of list.entries) if (entryMatches(e, p)) return e.action === "permit";
      return false;
    },
    distributePermits: (d, prefix, length) => {
      if (d.kind === "prefix") {
        const list = routePolicy(device).prefixLists.get(d.list);
        return list === undefined || prefixListPermits(list, prefix, length);
      }
      // A distribute list naming a missing access list filters nothing (an offset list's matches nothing).
      const acl = device.acls.get(d.list);
      if (acl === undefined) return true;
      const p = { src: prefix, dst: 0, protocol: 0, tos: 0 };
      for (const e of acl.entries) if (entryMatches(e, p)) return e.action === "permit";
      return false;
    },
    routeMap: (name, subject) => {
      const map = routePolicy(device).routeMaps.get(name);
      return map === undefined ? undefined : evaluateRouteMap(map, subject, routePolicyLookups(device));
    },
  };
  eigrpConfigs(device).set(as, config);
  return config;
}

/** The MD5 keys of an interface: its key chain's, none while it names no chain. */
function md5Keys(device: RouterDevice, chain: string | undefined): EigrpMd5Keys {
  return {
    send: () => (chain === undefined ? undefined : sendKey(device, chain)),
    key: (id) => (chain === undefined ? undefined : keyById(device, chain, id)),
  };
}

/** Forgets a process (`no router eigrp N`). */
export function deleteEigrpConfig(device: RouterDevice, as: number): void {
  eigrpConfigs(device).delete(as);
}

/** Re-reads the configuration of every running process (after an interface setting changed). */
export function reconfigureEigrp(device: RouterDevice, as?: number): void {
  for (const i of eigrpInstances(device)) if (as === undefined || i.config.as === as) i.reconfigure();
}
