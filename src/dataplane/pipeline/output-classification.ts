// The seam output QoS classifies at: every datagram leaving an interface
// (forwarded or our own, after NAT, the output ACL and the crypto map) is
// shown to the device's output classifier, if one is set, with the header
// fields a class-map would match. Normally those are the datagram's own: for
// a GRE or ESP packet, the outer header (protocol 47 or 50, the tunnel
// endpoints). `qos pre-classify` on a tunnel interface or a crypto map keeps
// the original datagram's header visible instead: the encapsulation runs
// inside `encapsulate(preClassify, inner, send)`, and what it sends is
// classified on the inner fields. Each layer decides for itself, as on IOS:
// GRE over IPsec needs `qos pre-classify` on the tunnel and on the crypto map
// for the classifier to see the inner header; a layer without it shows its
// own outer header. Two users: the output queue's classifier (which queue a
// frame waits in) and MQC's marker (`service-policy output`: counts, polices,
// marks and may drop the datagram before it is framed).

import type { AclPacket } from "../acl.ts";
import { aclFields } from "./acl-fields.ts";
import type { RouterInterface } from "./router-interface.ts";

/** A classifier: sees each datagram leaving `egress` as `header` (the bytes are the datagram on the wire). */
export type OutputClassifier = (egress: RouterInterface, header: AclPacket, dgram: Uint8Array) => void;

/** MQC's look at a datagram leaving `egress`: false drops it (police, drop); it may rewrite the ToS in `dgram`. */
export type OutputMarker = (egress: RouterInterface, header: AclPacket, dgram: Uint8Array) => boolean;

/** One device's output classification point. */
export class OutputClassification {
  /** Set by output QoS; null: nothing classifies. */
  classifier: OutputClassifier | null = null;
  /** Set by MQC while some interface has an output service-policy; null: nothing marks. */
  marker: OutputMarker | null = null;
  /** The header an encapsulation in progress keeps visible (pre-classify), if any. */
  private visible: AclPacket | undefined;

  /**
   * Runs an encapsulation's `send`: with `preClassify`, what it sends is classified as `inner` (or as the
   * header an outer layer already kept visible); without, as its own outer header.
   */
  encapsulate<T>(preClassify: boolean, inner: Uint8Array, send: () => T): T {
    const saved = this.visible;
    this.visible = preClassify ? (saved ?? aclFields(inner)) : undefined;
    try {
      return send();
    } finally {
      this.visible = saved;
    }
  }

  /** True when something looks at datagrams on output (the fast switching path then steps aside). */
  get active(): boolean {
    return this.classifier !== null || this.marker !== null;
  }

  /** A datagram leaves `egress`: the marker, then the classifier see it (the header kept visible is used once); false: dropped. */
  classify(egress: RouterInterface, dgram: Uint8Array): boolean {
    const view = this.visible;
    this.visible = undefined;
    if (this.classifier === null && this.marker === null) return true;
    const header = view ?? aclFields(dgram);
    if (this.marker !== null && !this.marker(egress, header, dgram)) return false;
    if (this.classifier !== null) this.classifier(egress, header, dgram);
    return true;
  }
}
