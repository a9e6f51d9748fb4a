// MQC on one device: the policies attached to its interfaces and the three
// places they act. Output: the marker on the classification seam sees every
// datagram leaving an interface with an output policy (the inner header under
// qos pre-classify), counts and polices it, applies set and drop and notes the
// class queue; when the policy queues, the interface's output queue runs
// CBWFQ/LLQ (mqc-scheduler.ts) instead of the legacy strategy (this service is
// the first SchedulerProvider). Input: the stack's inputPolicy hook does the
// same for what arrives on an interface with an input policy (no queueing
// there, as IOS).

import type { AclPacket } from "../acl.ts";
import { aclFields } from "../pipeline/acl-fields.ts";
import type { OutputClassification } from "../pipeline/output-classification.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { reservedKbps } from "./mqc-admission.ts";
import { PolicyAttachment } from "./mqc-attachment.ts";
import type { ClassifyLookups } from "./mqc-classify.ts";
import { orderedClasses, type PolicyMap, policyQueues } from "./mqc-policy.ts";
import { MqcScheduler, type PendingAdmission } from "./mqc-scheduler.ts";
import type { OutputScheduler, SchedulerProvider } from "./output-scheduler.ts";

/** What the service needs from its device. */
export interface MqcHost extends ClassifyLookups {
  policyMap(name: string): PolicyMap | undefined;
  /** Virtual time, ns. */
  now(): number;
  /** The classification seam of the device's IP stack. */
  readonly classification: OutputClassification;
  /** Strategy configuration changed: output queues choose their scheduler again. */
  queueingChanged(): void;
  /** Installs (or removes, null) the hook the input path asks about every datagram. */
  setInputPolicy(hook: ((ingress: RouterInterface, dgram: Uint8Array) => boolean) | null): void;
}

/** Per-interface MQC settings. */
export interface InterfacePolicies {
  input?: PolicyAttachment;
  output?: PolicyAttachment;
  /** `max-reserved-bandwidth` (percent, default 75). */
  maxReservedPercent: number;
  /** `load-interval` seconds (default 300). */
  loadIntervalSec: number;
}

/** A policy's configuration, children included, as text: an attachment is rebuilt when it changes. */
function fingerprint(policy: PolicyMap, lookup: (n: string) => PolicyMap | undefined, depth = 0): string {
  const own = JSON.stringify(orderedClasses(policy));
  if (depth > 2) return own;
  const children = policy.classes
    .map((c) =>
      c.servicePolicy === undefined
        ? ""
        : fingerprint(lookup(c.servicePolicy) ?? { name: "", classes: [] }, lookup, depth + 1),
    )
    .join("|");
  return `${own}#${children}`;
}

/** The MQC state and hooks of one device. */
export class MqcService implements SchedulerProvider {
  private readonly interfaces = new Map<RouterInterface, InterfacePolicies>();
  private readonly prints = new WeakMap<PolicyAttachment, string>();
  private readonly pending: PendingAdmission = { egress: null, queue: 0, flow: 0 };
  /** Bumped whenever an attachment is rebuilt, so the queue's scheduler key changes. */
  private serial = 0;
  private readonly serials = new WeakMap<PolicyAttachment, number>();

  constructor(private readonly host: MqcHost) {}

  /** The settings of an interface (created with IOS's defaults). */
  policies(ifc: RouterInterface): InterfacePolicies {
    let p = this.interfaces.get(ifc);
    if (p === undefined) {
      p = { maxReservedPercent: 75, loadIntervalSec: 300 };
      this.interfaces.set(ifc, p);
    }
    return p;
  }

  /** The settings of an interface if it has any. */
  existing(ifc: RouterInterface): InterfacePolicies | undefined {
    return this.interfaces.get(ifc);
  }

  /** Interfaces with a policy attached. */
  attachedInterfaces(): RouterInterface[] {
    return [...this.interfaces].filter(([, p]) => p.input !== undefined || p.output !== undefined).map(([i]) => i);
  }

  /** Attaches (or replaces) the policy of one direction. */
  attach(ifc: RouterInterface, direction: "input" | "output", policy: PolicyMap): void {
    const p = this.policies(ifc);
    const a = new PolicyAttachment(policy, direction, this.host, p.loadIntervalSec);
    this.prints.set(
      a,
      fingerprint(policy, (n) => this.host.policyMap(n)),
    );
    this.serials.set(a, ++this.serial);
    p[direction] = a;
    this.rewire();
  }

  /** Removes the policy of one direction. */
  detach(ifc: RouterInterface, direction: "input" | "output"): void {
    const p = this.interfaces.get(ifc);
    if (p === undefined) return;
    p[direction] = undefined;
    this.rewire();
  }

  /** A policy-map changed (or went): attachments of changed policies are rebuilt (classes keep their counters, as IOS). */
  policiesChanged(): void {
    for (const p of this.interfaces.values())
      for (const dir of ["input", "output"] as const) {
        const a = p[dir];
        if (a === undefined) continue;
        const policy = this.host.policyMap(a.policy.name);
        if (policy === undefined) {
          p[dir] = undefined;
          continue;
        }
        const print = fingerprint(policy, (n) => this.host.policyMap(n));
        if (print === this.prints.get(a)) continue;
        const b = new PolicyAttachment(policy, dir, this.host, p.loadIntervalSec, a);
        this.prints.set(b, print);
        this.serials.set(b, ++this.serial);
        p[dir] = b;
      }
    this.rewire();
  }

  /** Installs the marker while some output policy exists, and makes the queues choose again. */
  private rewire(): void {
    let output = false;
    let input = false;
    for (const p of this.interfaces.values()) {
      if (p.output !== undefined) output = true;
      if (p.input !== undefined) input = true;
    }
    this.host.classification.marker = output ? this.marker : null;
    this.host.setInputPolicy(input ? this.inputHook : null);
    this.host.queueingChanged();
  }

  /** The output marker: counts, polices, marks, maybe drops; notes the class queue for the output queue. */
  private readonly marker = (egress: RouterInterface, header: AclPacket, dgram: Uint8Array): boolean => {
    const main = egress.parent ?? egress;
    const a = this.interfaces.get(main)?.output;
    if (a === undefined) return true;
    const r = a.admit(this.host.now(), header, dgram);
    if (r.queue < 0) {
      egress.counters.outputDrops++;
      return false;
    }
    this.pending.egress = main;
    this.pending.queue = r.queue;
    this.pending.flow = r.flow;
    return true;
  };

  /** An input policy's look at a datagram arriving on `ingress` (counts, police, set, drop): false drops it. */
  private readonly inputHook = (ingress: RouterInterface, dgram: Uint8Array): boolean => {
    const a = this.interfaces.get(ingress)?.input;
    if (a === undefined) return true;
    return a.admit(this.host.now(), aclFields(dgram), dgram).queue >= 0;
  };

  /** SchedulerProvider: CBWFQ/LLQ when the interface's output policy queues; else the legacy strategy. */
  schedulerFor(ifc: RouterInterface): { key: string; create: () => OutputScheduler } | null {
    const p = this.interfaces.get(ifc);
    const a = p?.output;
    if (p === undefined || a === undefined) return null;
    if (!policyQueues(a.policy) && a.queueing === a && a.shaper === null) return null;
    const kbps = ifc.bandwidthKbps;
    const base = a.drainKbps(kbps);
    let available = Math.floor((base * p.maxReservedPercent) / 100);
    for (const c of a.queueing.classes) available -= reservedKbps(c.config, base);
    return {
      key: `mqc ${this.serials.get(a)} ${kbps}`,
      create: () => new MqcScheduler(a, kbps, this.pending, () => this.host.now(), Math.max(0, available)),
    };
  }
}
