// IOS virtual fragment reassembly (VFR) in front of NAT: on an interface with
// `ip nat inside|outside` (IOS turns VFR on with NAT), a fragment other than
// the first that arrives before its first fragment cannot be translated (it
// has no ports), so it is held until the first fragment has gone through;
// then the held ones follow it and take its translation. Nothing is actually
// reassembled: every fragment leaves as it came. Bounded as IOS's defaults:
// 16 reassemblies at once per interface, 32 fragments per datagram, 3 seconds
// on the virtual clock; a fragment over a bound is dropped, and a reassembly
// that times out drops what it holds; all of it counted for
// `show ip virtual-reassembly`, the overflows reported as events. Deterministic: the held fragments are
// released by a zero-delay timer, after the first fragment's own trip.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";

/** IOS's defaults (`ip virtual-reassembly max-reassemblies 16 max-fragments 32 timeout 3`). */
export const VFR_MAX_REASSEMBLIES = 16;
export const VFR_MAX_FRAGMENTS = 32;
export const VFR_TIMEOUT_SEC = 3;

/** The counters of one interface (show ip virtual-reassembly). */
export interface VfrCounters {
  /** Reassemblies started. */
  total: number;
  /** Reassemblies that ran out of time before they were complete. */
  timeouts: number;
  /** Fragments dropped because the interface already had its maximum of reassemblies. */
  tableFullDrops: number;
  /** Fragments dropped (with the rest of their datagram) for exceeding the fragments per datagram. */
  tooManyFragmentsDrops: number;
}

/** One datagram being watched. */
interface Reassembly {
  readonly key: string;
  readonly ifc: string;
  /** The first fragment (offset 0) has gone through: later ones follow at once. */
  firstSeen: boolean;
  /** Later fragments waiting for the first, with how to send each on. */
  held: Array<{ dgram: Uint8Array; resume: (d: Uint8Array) => void }>;
  fragments: number;
  /** Payload bytes seen, and the datagram's payload length once its last fragment is known. */
  covered: number;
  total: number | null;
  timer: TimerHandle;
  dropped: boolean;
}

/** What VFR reports (IOS's %IP_VFR syslog messages; the wording is in src/config/nat). */
export type VfrEvent =
  /** A fragment found the interface's table of reassemblies full. */
  | { kind: "tableOverflow"; ifc: string; max: number }
  /** A datagram came in more fragments than allowed and was given up. */
  | { kind: "tooManyFragments"; ifc: string; max: number; src: number; dst: number };

/** What VFR needs from its router. */
export interface VfrDeps {
  now(): TimeNs;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  /** A VFR event for the log. */
  vfrEvent?(e: VfrEvent): void;
}

/** VFR for the NAT interfaces of one router. */
export class VirtualReassembly {
  private readonly active = new Map<string, Reassembly>();
  private readonly counters = new Map<string, VfrCounters>();

  constructor(private readonly deps: VfrDeps) {}

  /** The counters of an interface (zero until it sees a fragment). */
  countersOf(ifc: string): VfrCounters {
    let c = this.counters.get(ifc);
    if (c === undefined) {
      c = { total: 0, timeouts: 0, tableFullDrops: 0, tooManyFragmentsDrops: 0 };
      this.counters.set(ifc, c);
    }
    return c;
  }

  /** Reassemblies in progress on an interface, and the fragments they hold. */
  current(ifc: string): { reassemblies: number; fragments: number } {
    let reassemblies = 0;
    let fragments = 0;
    for (const r of this.active.values()) {
      if (r.ifc !== ifc) continue;
      reassemblies++;
      fragments += r.held.length;
    }
    return { reassemblies, fragments };
  }

  /**
   * A fragment received on a NAT interface (the caller has checked the IPv4
   * header). True when VFR took it (held, or dropped and counted); false when
   * it goes on now. `resume` sends a held fragment on later.
   */
  offer(ifc: string, dgram: Uint8Array, resume: (d: Uint8Array) => void): boolean {
    const offset = (((dgram[6]! & 0x1f) << 8) | dgram[7]!) * 8;
    const more = (dgram[6]! & 0x20) !== 0;
    if (offset === 0 && !more) return false; // not a fragment
    const payload = dgram.length - (dgram[0]! & 0x0f) * 4;
    const key = `${ifc}/${readIpv4(dgram, 12)}/${readIpv4(dgram, 16)}/${dgram[9]}/${(dgram[4]! << 8) | dgram[5]!}`;
    const counters = this.countersOf(ifc);
    let r = this.active.get(key);
    if (r === undefined) {
      if (this.current(ifc).reassemblies >= VFR_MAX_REASSEMBLIES) {
        counters.tableFullDrops++;
        this.deps.vfrEvent?.({ kind: "tableOverflow", ifc, max: VFR_MAX_REASSEMBLIES });
        return true;
      }
      r = this.start(key, ifc);
      counters.total++;
    }
    if (r.dropped) {
      counters.tooManyFragmentsDrops++; // the rest of a datagram already given up
      return true;
    }
    r.fragments++;
    if (r.fragments > VFR_MAX_FRAGMENTS) {
      counters.tooManyFragmentsDrops += 1 + r.held.length;
      r.held = [];
      r.dropped = true; // kept until its timeout, so the rest of it is dropped too
      const [src, dst] = [readIpv4(dgram, 12), readIpv4(dgram, 16)];
      this.deps.vfrEvent?.({ kind: "tooManyFragments", ifc, max: VFR_MAX_FRAGMENTS, src, dst });
      return true;
    }
    r.covered += payload;
    if (!more) r.total = offset + payload;
    if (offset === 0) {
      r.firstSeen = true;
      this.release(r);
    } else if (!r.firstSeen) {
      r.held.push({ dgram: dgram.slice(), resume });
      return true;
    }
    if (r.firstSeen && r.total !== null && r.covered >= r.total) this.finish(r);
    return false;
  }

  private start(key: string, ifc: string): Reassembly {
    const r: Reassembly = {
      key,
      ifc,
      firstSeen: false,
      held: [],
      fragments: 0,
      covered: 0,
      total: null,
      dropped: false,
      timer: this.deps.after(VFR_TIMEOUT_SEC * 1e9, "vfr-timeout", () => this.timeout(r)),
    };
    this.active.set(key, r);
    return r;
  }

  /** The first fragment went on: the held ones follow once its trip is over. */
  private release(r: Reassembly): void {
    if (r.held.length === 0) return;
    const held = r.held;
    r.held = [];
    this.deps.after(0, "vfr-release", () => {
      for (const h of held) h.resume(h.dgram);
    });
  }

  private finish(r: Reassembly): void {
    r.timer.cancel();
    this.active.delete(r.key);
  }

  private timeout(r: Reassembly): void {
    if (this.active.get(r.key) !== r) return;
    this.active.delete(r.key);
    if (!r.dropped) this.countersOf(r.ifc).timeouts++;
  }
}
