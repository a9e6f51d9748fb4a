// What a RIP process reports (RFC 2453 sections 3.8-3.10 name the moments):
// messages sent and received with their entries, messages ignored with a
// reason from a closed set, and route transitions with theirs. The IOS layer
// (src/config/rip) renders `debug ip rip` lines from these; nothing here is
// IOS text.

import type { RipCommand } from "../../wire/rip.ts";

/** One entry as debug prints it. */
export interface RipEventEntry {
  prefix: number;
  length: number;
  nextHop: number;
  metric: number;
  tag: number;
}

/** Why a received message was dropped. */
export type RipIgnoreReason = "illegalVersion" | "badSource" | "badSourcePort" | "malformed" | "authentication";

/** States of a route in the RIP database. */
export type RipRouteState = "valid" | "possiblyDown" | "flushed";

/** Why a route changed state. */
export type RipRouteReason =
  | "learned"
  | "betterMetric"
  | "metricChanged"
  | "poisoned"
  | "timedOut"
  | "flushTimer"
  | "interfaceDown"
  | "becameLocal";

export type RipEvent =
  | {
      kind: "sent";
      command: RipCommand;
      version: 1 | 2;
      interface: string;
      /** Where to: 224.0.0.9, 255.255.255.255 or a neighbor's address. */
      destination: number;
      source: number;
      entries: RipEventEntry[];
      triggered: boolean;
    }
  | {
      kind: "received";
      command: RipCommand;
      version: 1 | 2;
      interface: string;
      source: number;
      entries: RipEventEntry[];
    }
  | { kind: "ignored"; reason: RipIgnoreReason; interface: string; source: number; version?: number }
  | {
      kind: "route";
      prefix: number;
      length: number;
      from: RipRouteState | "absent";
      to: RipRouteState;
      reason: RipRouteReason;
      nextHop: number;
      metric: number;
    };
