// The Modular QoS CLI objects as IOS configures them: class-maps (match-all or
// match-any over access-groups, DSCP, precedence, protocols, any) and
// policy-maps (an ordered list of classes, class-default always last, each with
// its actions: bandwidth, priority (LLQ), fair-queue, queue-limit, police,
// shape, set, drop, a child service-policy). Plain data: the commands in
// src/config/qos build it, mqc-classify.ts matches packets against it and
// mqc-attachment.ts runs it on an interface.

/** The class every policy-map ends with; matches what no other class took. */
export const CLASS_DEFAULT = "class-default";

/** IOS's default `queue-limit` of a CBWFQ class, in packets. */
export const DEFAULT_QUEUE_LIMIT = 64;

/** IOS's default `max-reserved-bandwidth`: the share of the interface the classes may reserve. */
export const DEFAULT_MAX_RESERVED_PERCENT = 75;

/** One `match` line of a class-map. */
export type MatchCriterion =
  | { readonly kind: "access-group"; readonly acl: string; readonly named: boolean }
  | { readonly kind: "dscp"; readonly values: readonly number[] }
  | { readonly kind: "precedence"; readonly values: readonly number[] }
  | { readonly kind: "protocol"; readonly protocol: string }
  | { readonly kind: "any" };

/** `class-map [match-all | match-any] NAME`. */
export interface ClassMap {
  readonly name: string;
  matchAll: boolean;
  readonly matches: MatchCriterion[];
}

/** What a policer does with a packet of one colour. */
export type PoliceAction =
  | { readonly kind: "transmit" }
  | { readonly kind: "drop" }
  | { readonly kind: "set-dscp-transmit"; readonly value: number }
  | { readonly kind: "set-prec-transmit"; readonly value: number };

/** `police cir BPS [bc B [be B]] [pir BPS [be B]]` with its actions. */
export interface PoliceSpec {
  /** Committed information rate, bits/s. */
  readonly cirBps: number;
  /** Committed burst, bytes (IOS default: CIR/32, at least 1500). */
  readonly bcBytes: number;
  /** Excess burst (single rate: the second bucket, 0 = two colours) or peak burst (two rate), bytes. */
  readonly beBytes: number;
  /** Peak information rate (two-rate policer, RFC 2698), bits/s. */
  readonly pirBps?: number;
  readonly conform: PoliceAction;
  readonly exceed: PoliceAction;
  /** Only with three colours (be > 0 or a PIR). */
  readonly violate?: PoliceAction;
}

/** `shape average|peak CIR [Bc [Be]]`. */
export interface ShapeSpec {
  readonly kind: "average" | "peak";
  readonly cirBps: number;
  /** Sustained bits per interval. */
  readonly bcBits: number;
  /** Excess bits per interval. */
  readonly beBits: number;
}

/** `bandwidth KBPS | percent N | remaining percent N`. */
export type BandwidthSpec =
  | { readonly kind: "kbps"; readonly value: number }
  | { readonly kind: "percent"; readonly value: number }
  | { readonly kind: "remaining"; readonly value: number };

/** `priority KBPS [BURST] | percent N [BURST]`. */
export interface PrioritySpec {
  readonly kind: "kbps" | "percent";
  readonly value: number;
  /** Burst in bytes; IOS's default is 200 ms at the rate. */
  readonly burstBytes?: number;
}

/** `set dscp N | set precedence N` (IOS accepts `set ip dscp` as the same). */
export type SetSpec = { readonly field: "dscp" | "precedence"; readonly value: number };

/** One `class NAME` inside a policy-map, with its actions. */
export interface PolicyClass {
  readonly name: string;
  bandwidth?: BandwidthSpec;
  priority?: PrioritySpec;
  /** `fair-queue [N]`: flow-based WFQ inside the class, N dynamic queues. */
  fairQueue?: { readonly dynamicQueues: number };
  queueLimit?: number;
  police?: PoliceSpec;
  shape?: ShapeSpec;
  set?: SetSpec;
  drop?: boolean;
  /** `service-policy CHILD`: a child policy under this class (hierarchical QoS). */
  servicePolicy?: string;
}

/** `policy-map NAME`: classes in the order typed, class-default last. */
export interface PolicyMap {
  readonly name: string;
  readonly classes: PolicyClass[];
}

/** The classes in evaluation order: as typed, with class-default (present or implicit) last. */
export function orderedClasses(policy: PolicyMap): PolicyClass[] {
  const out = policy.classes.filter((c) => c.name !== CLASS_DEFAULT);
  out.push(policy.classes.find((c) => c.name === CLASS_DEFAULT) ?? { name: CLASS_DEFAULT });
  return out;
}

/** True when any class queues (bandwidth, priority, fair-queue, queue-limit, shape): an output-only policy. */
export function policyQueues(policy: PolicyMap): boolean {
  return policy.classes.some(
    (c) =>
      c.bandwidth !== undefined ||
      c.priority !== undefined ||
      c.fairQueue !== undefined ||
      c.queueLimit !== undefined ||
      c.shape !== undefined,
  );
}
