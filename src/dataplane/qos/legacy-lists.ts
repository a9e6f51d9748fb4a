// The global lists of legacy queueing: `priority-list N ...` (PQ) and
// `queue-list N ...` (CQ). Each holds its classification rules in the order
// configured (the first that matches picks the queue), a default queue and
// per-queue limits (and, for CQ, byte counts). A rule matches IP traffic
// permitted by an access list, TCP or UDP traffic to or from a port, or all IP.

import type { AccessList, AclPacket } from "../acl.ts";

/** What a rule matches. */
export type QueueMatch = { kind: "ip" } | { kind: "list"; acl: string } | { kind: "tcp" | "udp"; port: number };

/** One `protocol ip <queue> ...` line. */
export interface QueueRule {
  queue: number;
  match: QueueMatch;
}

/** PQ queue names, high first (the queue index is the position). */
export const PQ_QUEUES = ["high", "medium", "normal", "low"] as const;
/** IOS's PQ queue limits: high 20, medium 40, normal 60, low 80. */
export const PQ_DEFAULT_LIMITS: readonly number[] = [20, 40, 60, 80];
/** IOS's CQ defaults per queue: 1500 bytes a round, 20 packets. */
export const CQ_DEFAULT_BYTE_COUNT = 1500;
export const CQ_DEFAULT_LIMIT = 20;
/** CQ queues 0 (system, served first) to 16. */
export const CQ_QUEUES = 17;

/** `priority-list N`. */
export interface PriorityList {
  rules: QueueRule[];
  /** `default`: the queue of what no rule matches (normal). */
  defaultQueue: number;
  limits: number[];
}

/** `queue-list N`. */
export interface QueueList {
  rules: QueueRule[];
  /** `default`: the queue of what no rule matches (1). */
  defaultQueue: number;
  byteCounts: number[];
  limits: number[];
}

/** A new priority list with IOS's defaults. */
export function newPriorityList(): PriorityList {
  return { rules: [], defaultQueue: 2, limits: [...PQ_DEFAULT_LIMITS] };
}

/** A new queue list with IOS's defaults. */
export function newQueueList(): QueueList {
  return {
    rules: [],
    defaultQueue: 1,
    byteCounts: new Array<number>(CQ_QUEUES).fill(CQ_DEFAULT_BYTE_COUNT),
    limits: new Array<number>(CQ_QUEUES).fill(CQ_DEFAULT_LIMIT),
  };
}

/** True when a rule matches a header (null: not IP, matched by nothing). */
export function ruleMatches(match: QueueMatch, h: AclPacket, acl: (name: string) => AccessList | undefined): boolean {
  switch (match.kind) {
    case "ip":
      return true;
    case "list": {
      // IOS: a list that does not exist matches nothing here.
      const list = acl(match.acl);
      return list !== undefined && list.evaluate(h).action === "permit";
    }
    case "tcp":
    case "udp":
      return h.protocol === (match.kind === "tcp" ? 6 : 17) && (h.srcPort === match.port || h.dstPort === match.port);
  }
}

/** The queue of a packet under a list's rules: the first match, else the default. */
export function queueFor(
  list: { rules: QueueRule[]; defaultQueue: number },
  h: AclPacket | null,
  acl: (name: string) => AccessList | undefined,
): number {
  if (h !== null) for (const r of list.rules) if (ruleMatches(r.match, h, acl)) return r.queue;
  return list.defaultQueue;
}

/** A rule's arguments as `show queueing` and the running config print them (`list 101`, `tcp 23`, nothing). */
export function matchText(m: QueueMatch): string {
  switch (m.kind) {
    case "ip":
      return "";
    case "list":
      return `list ${m.acl}`;
    default:
      return `${m.kind} ${m.port}`;
  }
}
