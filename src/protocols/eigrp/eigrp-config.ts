// What a classic `router eigrp N` process reads from its configuration (the
// names and defaults are IOS's): the `network` statements with wildcards,
// passive interfaces, `eigrp router-id`, `variance`, `offset-list`,
// `redistribute SOURCE [metric ...] [route-map]`, `default-metric`, and the per
// interface settings that live under `interface X` on IOS (hello interval,
// hold time, split horizon, next-hop-self, summary addresses), reached
// through callbacks so this module knows nothing about the CLI. The IOS layer
// owns the object and calls reconfigure() after a change.

import type { CompositeMetric, RouteMapResult, RouteMapSubject } from "../../dataplane/route-map.ts";
import type { RedistributionRule } from "../redistribution.ts";
import { DEFAULT_K, type KValues } from "./metric.ts";

/** `network A.B.C.D [wildcard]`: interfaces whose primary address matches. */
export interface EigrpNetwork {
  address: number;
  wildcard: number;
}

/** `offset-list {ACL|0} {in|out} OFFSET [INTERFACE]`. */
export interface EigrpOffsetList {
  /** Access list name or number; "0" matches every route. */
  acl: string;
  direction: "in" | "out";
  offset: number;
  interface?: string;
}

/**
 * `distribute-list prefix NAME in|out [INTERFACE]` or `distribute-list ACL in|out [INTERFACE]`: `in` keeps
 * routes out of the topology table, `out` keeps them out of what is advertised (IOS's meaning).
 */
export interface EigrpDistributeList {
  direction: "in" | "out";
  kind: "prefix" | "acl";
  /** Prefix-list name, or access-list name or number. */
  list: string;
  interface?: string;
}

/** `redistribute SOURCE [metric BW DLY REL LOAD MTU] [route-map NAME]` (sources from ../redistribution.ts). */
export interface EigrpRedistribution extends RedistributionRule {
  metric?: CompositeMetric;
}

/** `ip summary-address eigrp N prefix mask [AD]` on an interface. */
export interface EigrpSummary {
  prefix: number;
  length: number;
  distance: number;
}

/** The per-interface EIGRP settings (IOS: 5 s hello, 15 s hold on LAN and point-to-point links). */
export interface EigrpInterfaceSettings {
  helloSeconds: number;
  holdSeconds: number;
  splitHorizon: boolean;
  nextHopSelf: boolean;
  summaries: readonly EigrpSummary[];
  /** `ip authentication mode eigrp N md5` with its key chain: the keys to sign and check with. */
  md5?: EigrpMd5Keys;
}

/** MD5 authentication keys of an interface (from its key chain, looked up at each use). */
export interface EigrpMd5Keys {
  /** The key packets go out with, undefined when the chain has none (packets then go unsigned). */
  send(): { id: number; key: Uint8Array } | undefined;
  /** The key a received packet names, if the chain has it. */
  key(id: number): Uint8Array | undefined;
}

/** What named mode changes: DUAL runs on wide metrics, the RIB gets them divided by `metric rib-scale`. */
export interface EigrpNamedMode {
  /** The virtual instance name (`router eigrp NAME`). */
  name: string;
  /** `metric rib-scale <1-255>` under `topology base` (IOS: 128). */
  ribScale: number;
}

export const EIGRP_DEFAULT_HELLO = 5;
export const EIGRP_DEFAULT_HOLD = 15;
/** IOS's active timer (`timers active-time 3`): a route active this long is stuck in active. */
export const EIGRP_ACTIVE_TIME_SECONDS = 180;

export interface EigrpConfig {
  readonly as: number;
  networks: EigrpNetwork[];
  passiveDefault: boolean;
  passiveExceptions: Set<string>;
  routerId?: number;
  variance: number;
  /** `auto-summary` (IOS 15's default is off): classful summaries out of interfaces in another major network. */
  autoSummary: boolean;
  maximumPaths: number;
  offsetLists: EigrpOffsetList[];
  distributeLists: EigrpDistributeList[];
  redistribute: EigrpRedistribution[];
  /** `default-metric BW DLY REL LOAD MTU`: the metric of redistributed routes without their own. */
  defaultMetric?: CompositeMetric;
  kValues: KValues;
  /** `eigrp stub ...`: the stub TLV's flags (what is advertised), undefined when not a stub. */
  stub?: number;
  distanceInternal: number;
  distanceExternal: number;
  /** Named mode (`router eigrp NAME` / `address-family ipv4 unicast autonomous-system N`): wide metrics. */
  named?: EigrpNamedMode;
  /** The interface's settings for this AS. */
  interfaceSettings(interfaceName: string): EigrpInterfaceSettings;
  /** Whether an access list permits a prefix (offset lists); a missing list permits nothing, "0" everything. */
  aclPermits(acl: string, prefix: number): boolean;
  /** Whether a distribute list's prefix list or access list permits a route; a missing list permits all, as on IOS. */
  distributePermits(d: EigrpDistributeList, prefix: number, length: number): boolean;
  /** Runs a route map; undefined when no map of that name exists. */
  routeMap(name: string, subject: RouteMapSubject): RouteMapResult | undefined;
}

/** A process configuration with IOS's defaults and permissive callbacks (tests build on it). */
export function emptyEigrpConfig(as: number): EigrpConfig {
  return {
    as,
    networks: [],
    passiveDefault: false,
    passiveExceptions: new Set(),
    variance: 1,
    autoSummary: false,
    maximumPaths: 4,
    offsetLists: [],
    distributeLists: [],
    redistribute: [],
    kValues: DEFAULT_K,
    distanceInternal: 90,
    distanceExternal: 170,
    interfaceSettings: () => ({
      helloSeconds: EIGRP_DEFAULT_HELLO,
      holdSeconds: EIGRP_DEFAULT_HOLD,
      splitHorizon: true,
      nextHopSelf: true,
      summaries: [],
    }),
    aclPermits: (acl) => acl === "0",
    distributePermits: () => true,
    routeMap: () => undefined,
  };
}
