// IOS's checks on a policy-map: when it is attached (`service-policy output`)
// the classes' `priority` and `bandwidth` reservations are taken, in policy
// order, from the interface bandwidth times max-reserved-bandwidth (75 % by
// default); the first class that does not fit refuses the attachment with
// "I/f Serial0/0 class X requested bandwidth R (kbps), available only A (kbps)".
// Queueing actions are output-only. Within a policy, bandwidth in kbps and in
// percent do not mix. A child policy under a shaper is checked against the
// shape rate.

import { shapeRateBps } from "./mqc-meter.ts";
import { orderedClasses, type PolicyClass, type PolicyMap, policyQueues } from "./mqc-policy.ts";

/** Reserved kbps of a class on an interface of `ifKbps` (priority or bandwidth; remaining percent reserves nothing). */
export function reservedKbps(c: PolicyClass, ifKbps: number): number {
  if (c.priority !== undefined)
    return c.priority.kind === "kbps" ? c.priority.value : Math.floor((ifKbps * c.priority.value) / 100);
  if (c.bandwidth === undefined || c.bandwidth.kind === "remaining") return 0;
  return c.bandwidth.kind === "kbps" ? c.bandwidth.value : Math.floor((ifKbps * c.bandwidth.value) / 100);
}

/**
 * The refusal of attaching `policy` to `ifName` in `direction`, or null when IOS accepts it.
 * `lookup` finds child policies by name.
 */
export function admissionError(
  policy: PolicyMap,
  ifName: string,
  direction: "input" | "output",
  ifKbps: number,
  maxReservedPercent: number,
  lookup: (name: string) => PolicyMap | undefined,
): string | null {
  if (direction === "input") {
    if (policyQueues(policy)) return "CBWFQ : Can be enabled as an output feature only";
    return null;
  }
  let available = Math.floor((ifKbps * maxReservedPercent) / 100);
  for (const c of orderedClasses(policy)) {
    const want = reservedKbps(c, ifKbps);
    if (want > available)
      return `I/f ${ifName} class ${c.name} requested bandwidth ${want} (kbps), available only ${available} (kbps)`;
    available -= want;
    if (c.servicePolicy !== undefined) {
      const child = lookup(c.servicePolicy);
      if (child === undefined) continue;
      // The child's reservations come out of the parent's shape rate (or of what the parent class reserved).
      const base = c.shape !== undefined ? Math.floor(shapeRateBps(c.shape) / 1000) : want > 0 ? want : ifKbps;
      const err = admissionError(child, ifName, direction, base, 100, lookup);
      if (err !== null) return err;
    }
  }
  return null;
}

/** The refusal of giving `c` a bandwidth of `kind` in `policy` (units must agree across classes), or null. */
export function bandwidthUnitsError(
  policy: PolicyMap,
  c: PolicyClass,
  kind: "kbps" | "percent" | "remaining",
): string | null {
  if (c.priority !== undefined) return "Must remove the priority command before configuring bandwidth";
  for (const other of policy.classes) {
    if (other === c || other.bandwidth === undefined) continue;
    if (other.bandwidth.kind !== kind) return "All classes with bandwidth should have consistent units";
  }
  return null;
}
