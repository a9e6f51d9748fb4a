// What an OSPF process is configured to do, as the IOS layer (src/config/ospf)
// hands it over: router-level settings (`router ospf N`) and per-interface
// ones (`ip ospf ...`). The protocol reads it on start and whenever the IOS
// layer calls reconfigure(); it never parses IOS text.

import type { RouteMapResult, RouteMapSubject } from "../../dataplane/route-map.ts";
import type { RedistributionSource } from "../redistribution.ts";
import type { OspfNetworkType } from "./network-type.ts";
import { SPF_THROTTLE_DEFAULT, type ThrottleTimers } from "./throttle.ts";

/** Authentication of an interface (`ip ospf authentication [message-digest|null]`, or the area's). */
export type OspfAuthMode = "null" | "simple" | "md5";

/** `ip ospf ...` settings of one interface. */
export interface OspfInterfaceSettings {
  /** `ip ospf N area A`. */
  area?: number;
  networkType?: OspfNetworkType;
  priority?: number;
  cost?: number;
  helloSec?: number;
  deadSec?: number;
  /** `ip ospf retransmit-interval`: RxmtInterval for DBD, LS request and LS update retransmissions. */
  retransmitSec?: number;
  authentication?: OspfAuthMode;
  /** `ip ospf authentication-key` (simple password). */
  authenticationKey?: string;
  /** `ip ospf message-digest-key N md5 KEY`; the highest key id is used to send. */
  md5Keys: Map<number, string>;
}

export type OspfAreaType = "normal" | "stub" | "nssa";

/** `area X ...` settings. */
export interface OspfAreaSettings {
  type: OspfAreaType;
  /** `no-summary` on a stub or NSSA (totally stubby / totally NSSA). */
  noSummary: boolean;
  /** `area X nssa default-information-originate`. */
  nssaDefaultOriginate: boolean;
  /** `area X authentication [message-digest]`. */
  authentication?: OspfAuthMode;
  /** `area X default-cost`. */
  defaultCost: number;
  /** `area X range ADDRESS MASK [not-advertise]`. */
  ranges: Array<{ prefix: number; length: number; advertise: boolean }>;
}

/** `network ADDRESS WILDCARD area A`. */
export interface OspfNetworkStatement {
  address: number;
  wildcard: number;
  area: number;
}

/** `redistribute connected|static|rip|eigrp N [subnets] [metric N] [metric-type 1|2] [tag T] [route-map NAME]`. */
export interface OspfRedistribution {
  source: RedistributionSource;
  subnets: boolean;
  metric?: number;
  metricType: 1 | 2;
  tag?: number;
  routeMap?: string;
}

/** Administrative distances: per route type, else the process's default, else 110. */
export interface OspfDistances {
  default?: number;
  intraArea?: number;
  interArea?: number;
  external?: number;
}

/** The distance of an OSPF route of a type (external: E1, E2, N1, N2). */
export function ospfDistance(d: OspfDistances, type: "intra" | "inter" | "external"): number {
  const specific = type === "intra" ? d.intraArea : type === "inter" ? d.interArea : d.external;
  return specific ?? d.default ?? 110;
}

/** The configuration of one process. */
export interface OspfProcessConfig {
  processId: number;
  routerId?: number;
  networks: OspfNetworkStatement[];
  /** `passive-interface default`. */
  passiveDefault: boolean;
  /** `passive-interface IF` (or, under passive-interface default, the `no passive-interface IF` exceptions). */
  passiveExceptions: Set<string>;
  /** `neighbor ADDRESS [priority N]` for non-broadcast networks. */
  neighbors: Array<{ address: number; priority?: number }>;
  areas: Map<number, OspfAreaSettings>;
  /** `default-information originate [always] [metric N] [metric-type 1|2]`. */
  defaultInformation?: { always: boolean; metric: number; metricType: 1 | 2 };
  redistribute: OspfRedistribution[];
  /** `default-metric N`: the metric of redistributed routes without their own (IOS's default: 20). */
  defaultMetric?: number;
  /** Runs a route map (`redistribute ... route-map`); undefined when no map of that name exists. */
  routeMap?: (name: string, subject: RouteMapSubject) => RouteMapResult | undefined;
  /** `summary-address PREFIX MASK` on an ASBR. */
  summaryAddresses: Array<{ prefix: number; length: number }>;
  /** `distribute-list N in`: whether a route may enter the RIB (the LSDB is untouched). */
  distributeIn?: (prefix: number, length: number) => boolean;
  /** `auto-cost reference-bandwidth` in Mbit/s. */
  referenceBandwidthMbps: number;
  /** `timers throttle spf START HOLD MAX`. */
  spfThrottle: ThrottleTimers;
  /** `timers throttle lsa START HOLD MAX`; without it IOS's MinLSInterval of 5 s (0 5000 5000). */
  lsaThrottle?: ThrottleTimers;
  /** `maximum-paths N`: equal-cost paths installed per route (IOS's default 4). */
  maximumPaths: number;
  /** `distance N` and `distance ospf intra-area|inter-area|external N` (unset: 110). */
  distance: OspfDistances;
  /** Per-interface settings by canonical interface name. */
  interfaceSettings(name: string): OspfInterfaceSettings | undefined;
}

/** An area's settings, or a normal area's defaults. */
export function areaSettings(config: OspfProcessConfig, area: number): OspfAreaSettings {
  return (
    config.areas.get(area) ?? {
      type: "normal",
      noSummary: false,
      nssaDefaultOriginate: false,
      defaultCost: 1,
      ranges: [],
    }
  );
}

/** A process configuration with nothing configured. */
export function emptyOspfConfig(processId: number): OspfProcessConfig {
  return {
    processId,
    networks: [],
    passiveDefault: false,
    passiveExceptions: new Set(),
    neighbors: [],
    areas: new Map(),
    redistribute: [],
    summaryAddresses: [],
    referenceBandwidthMbps: 100,
    spfThrottle: { ...SPF_THROTTLE_DEFAULT },
    maximumPaths: 4,
    distance: {},
    interfaceSettings: () => undefined,
  };
}
