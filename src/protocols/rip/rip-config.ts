// What a `router rip` process reads from its configuration (RFC 2453 leaves
// these to the implementation; the names and defaults are IOS's): the version
// (IOS sends 1 and receives 1 and 2 until `version` is set), auto-summary
// (on by default), the classful `network` statements, passive interfaces,
// default origination, distribute lists, redistribution and the timers. The
// IOS layer owns the object and calls reconfigure() after a change; policy
// lookups (prefix lists, route maps, split horizon per interface) are
// callbacks so this module knows nothing about the CLI.

import type { RouteMapResult, RouteMapSubject } from "../../dataplane/route-map.ts";
import type { RedistributionSource } from "../redistribution.ts";

/** `timers basic` values, in seconds. */
export interface RipTimers {
  update: number;
  invalid: number;
  holddown: number;
  flush: number;
}

/** IOS's defaults: 30, 180, 180, 240 seconds. */
export const RIP_DEFAULT_TIMERS: Readonly<RipTimers> = { update: 30, invalid: 180, holddown: 180, flush: 240 };

/** `distribute-list prefix NAME in|out [INTERFACE]`. */
export interface RipDistributeList {
  direction: "in" | "out";
  prefixList: string;
  interface?: string;
}

/** `redistribute connected|static|ospf N|eigrp N [metric N] [route-map NAME]`. */
export interface RipRedistribution {
  source: RedistributionSource;
  metric?: number;
  routeMap?: string;
}

/** The configuration of one RIP process. */
export interface RipConfig {
  /** `version 1|2`; undefined: send version 1, receive both. */
  version?: 1 | 2;
  autoSummary: boolean;
  /** Classful network numbers of the `network` statements. */
  networks: number[];
  passiveDefault: boolean;
  /** Interfaces that differ from passiveDefault. */
  passiveExceptions: Set<string>;
  /** `default-information originate [route-map NAME]`. */
  defaultOriginate?: { routeMap?: string };
  distributeLists: RipDistributeList[];
  redistribute: RipRedistribution[];
  /** `default-metric N`: the metric of redistributed routes without their own. */
  defaultMetric?: number;
  /** `distance N`: the administrative distance of RIP routes (IOS's default 120). */
  distance?: number;
  timers: RipTimers;
  /** Whether split horizon is on for an interface (`no ip split-horizon` turns it off). */
  splitHorizon(interfaceName: string): boolean;
  /** Whether a prefix list permits a route; a list that does not exist permits everything, as on IOS. */
  prefixListPermits(name: string, prefix: number, length: number): boolean;
  /** Runs a route map; undefined when no map of that name exists. */
  routeMap(name: string, subject: RouteMapSubject): RouteMapResult | undefined;
}

/** An empty process configuration (IOS defaults); the policy callbacks permit everything. */
export function emptyRipConfig(): RipConfig {
  return {
    autoSummary: true,
    networks: [],
    passiveDefault: false,
    passiveExceptions: new Set(),
    distributeLists: [],
    redistribute: [],
    timers: { ...RIP_DEFAULT_TIMERS },
    splitHorizon: () => true,
    prefixListPermits: () => true,
    routeMap: () => undefined,
  };
}

/** The classful network of an address (A /8, B /16, C /24; D and E as /32). */
export function classfulNetwork(address: number): { network: number; length: number } {
  const a = address >>> 0;
  const length = a < 0x80000000 ? 8 : a < 0xc0000000 ? 16 : a < 0xe0000000 ? 24 : 32;
  const mask = length === 32 ? 0xffffffff : (0xffffffff << (32 - length)) >>> 0;
  return { network: (a & mask) >>> 0, length };
}
