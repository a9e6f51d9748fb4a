// The state of one router (or host) that its CLI commands act on: hostname,
// interfaces (made from the ports the topology wired), the IP stack with its
// RIB/FIB and ARP table, access lists, logging buffer, debug switches and the
// exec jobs (ping, traceroute) running on the virtual clock.

import type { AccessList } from "../../dataplane/acl.ts";
import { CryptoMapDataplane } from "../../dataplane/ipsec/crypto-map-dataplane.ts";
import { NatDataplane } from "../../dataplane/nat/nat-dataplane.ts";
import { HOST_ANSWER_DELAY_NS } from "../../dataplane/pipeline/control-plane-delay.ts";
import { IpStack } from "../../dataplane/pipeline/ip-stack.ts";
import { type InterfaceKind, RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { TcpEndpoints } from "../../dataplane/tcp/tcp-endpoints.ts";
import { espBackendFromEnvironment } from "../../fastpath/esp/backend-choice.ts";
import { ikeProtocol } from "../../protocols/ike/ike-protocol.ts";
import type { IkeV1Engine } from "../../protocols/ike/v1/ike-engine.ts";
import { CryptoConfig } from "../../protocols/ipsec/crypto-config.ts";
import type { InterfaceEvent } from "../../protocols/protocol.ts";
import { ProtocolSet } from "../../protocols/protocol-set.ts";
import type { DeviceContext, TimeNs } from "../../runtime/device.ts";
import { DeviceTimers } from "../../runtime/device-timers.ts";
import { HOLD_QUEUE_OUT } from "../../runtime/port-model.ts";
import { canonicalInterfaceName } from "../cli/interface-name.ts";
import { ConsoleLine } from "../console-line.ts";
import { LoggingBuffer } from "../logging-buffer.ts";
import { renderVfrEvent } from "../nat/vfr-syslog.ts";
import { routePolicy } from "../route-policy/route-policy-store.ts";
import { watchRoutingTable } from "./debug-ip-routing.ts";
import { interfaceMac } from "./interface-mac.ts";
import { formatTimestamp, type TimestampStyle } from "./log-timestamps.ts";
import { createTunnelInterface } from "./tunnel-interfaces.ts";

/** Debug switches (`debug ip icmp`, `debug ip packet [detail]`, `debug arp`, `debug crypto isakmp|ipsec`, `debug ip nat [detailed]`). */
export interface DebugFlags {
  ipIcmp: boolean;
  ipPacket: boolean;
  ipPacketDetail: boolean;
  arp: boolean;
  /** `debug crypto isakmp`: phase-1 negotiation lines. */
  cryptoIsakmp: boolean;
  /** `debug crypto ipsec`: phase-2 negotiation lines. */
  cryptoIpsec: boolean;
  /** `debug crypto gdoi`: GDOI registrations, rekeys and COOP announcements. */
  cryptoGdoi: boolean;
  /** `debug ip nat`: one line per translated datagram. */
  ipNat: boolean;
  /** `debug ip nat detailed`: the flow before translation too. */
  ipNatDetailed: boolean;
  /** `debug ip routing`: RT: lines for routes added to and deleted from the table. */
  ipRouting: boolean;
  /** `debug ip rip`: RIP updates sent, received and ignored. */
  ipRip: boolean;
  /** `debug nhrp`: NHRP packets sent and received. */
  nhrp: boolean;
  /** `debug ip ospf adj`: OSPF adjacency formation. */
  ospfAdj: boolean;
  /** `debug ip ospf hello`: OSPF hellos sent and received. */
  ospfHello: boolean;
  /** `debug ip ospf events`: its own switch (show debugging lists it so), printing what adj and hello print. */
  ospfEvents: boolean;
}

/** A job an exec command started that finishes later on the virtual clock. */
export interface ExecJob {
  /** Stops early without ending the command (device reload). */
  abort(): void;
  /** Stops at the console's escape sequence: prints what IOS prints when cut short, then ends the command. */
  interrupt(): void;
}

/** Kinds of device sharing this model. */
export type DeviceRole = "router" | "host";

/** One router's (or host's) state. */
export class RouterDevice {
  hostname: string;
  /** `ip domain name`: the router's FQDN is hostname.domain (default RSA key label, certificates). */
  domainName: string | null = null;
  readonly stack: IpStack;
  /** The device's TCP (connections, listeners, RST for closed ports). */
  readonly tcp: TcpEndpoints;
  readonly timers: DeviceTimers;
  readonly acls = new Map<string, AccessList>();
  readonly logging = new LoggingBuffer();
  /** The console line: which syslog and debug lines reach the console, terminal settings, command history. */
  readonly consoleLine = new ConsoleLine();
  readonly debug: DebugFlags = {
    ipIcmp: false,
    ipPacket: false,
    ipPacketDetail: false,
    arp: false,
    cryptoIsakmp: false,
    cryptoIpsec: false,
    cryptoGdoi: false,
    ipNat: false,
    ipNatDetailed: false,
    ipRouting: false,
    ipRip: false,
    nhrp: false,
    ospfAdj: false,
    ospfHello: false,
    ospfEvents: false,
  };
  /** `crypto isakmp|ipsec|map ...` configuration. */
  readonly crypto = new CryptoConfig();
  /** Crypto maps at packet level and the IKEv1 daemon (routers only). */
  readonly ipsec: CryptoMapDataplane | null = null;
  readonly ike: IkeV1Engine | null = null;
  /** Control-plane protocols running on this router (IKE; routing protocols as they are configured). */
  readonly protocols: ProtocolSet;
  /** `ip nat ...` configuration, translation table and counters (routers only). */
  readonly nat: NatDataplane | null = null;
  /**
   * How a physical interface's state changes are logged: null for IOS's
   * %LINK/%LINEPROTO messages; a device kind with its own words sets it (a
   * Linux host's kernel, config/hosts/linux-kernel-log.ts).
   */
  linkLog:
    | ((ifc: RouterInterface, was: { status: string; proto: boolean }, now: { status: string; proto: boolean }) => void)
    | null = null;
  /** `service timestamps log|debug ...`: the stamp of buffered syslog and debug lines. */
  readonly timestamps: { log: TimestampStyle; debug: TimestampStyle } = {
    log: "datetime msec",
    debug: "datetime msec",
  };
  /** `logging buffered` / `no logging console` style switches kept for the running config. */
  loggingBuffered = true;
  /** The running config as last saved to NVRAM (or loaded at boot), to tell whether it was modified since. */
  savedConfig: string | null = null;
  /** Lines the config loader could not take, kept for `show` and the scenario report. */
  readonly configErrors: string[] = [];
  /** Job started by the command now running (ping, traceroute). */
  job: ExecJob | null = null;
  /** True while the boot configuration loads: interfaces it names come up unless it says `shutdown`, as at an IOS boot. */
  booting = false;
  /** Set by `test crash`; the actor throws so the supervisor sees a real crash. */
  crashRequested = false;
  /** Console output sink of the command now running (set by the actor). */
  output: ((text: string) => void) | null = null;
  /** Ends the command now running (set by the actor). */
  finished: (() => void) | null = null;
  readonly bootedAt: TimeNs;
  /** When `clear counters` last cleared each interface (`Last clearing of "show interface" counters`). */
  readonly countersClearedAt = new Map<string, TimeNs>();
  /** Interface names in the order IOS lists them. */
  private order: string[] = [];
  /** Subinterfaces of each interface, in listing order (a change to the parent is theirs too). */
  private readonly children = new Map<RouterInterface, RouterInterface[]>();
  /** Last logged status per interface, to log only transitions. */
  private readonly lastState = new Map<
    string,
    { status: string; proto: boolean; addresses: string; parameters: string }
  >();

  constructor(
    readonly ctx: DeviceContext,
    readonly role: DeviceRole,
  ) {
    this.hostname = ctx.name;
    this.timers = new DeviceTimers(ctx);
    this.bootedAt = ctx.now();
    this.stack = new IpStack(ctx, {
      debug: (category, line) => this.debugLine(category, line),
      acl: (name) => this.acls.get(name),
      after: (delayNs, name, fn) => void this.timers.after(delayNs, name, fn),
    });
    this.protocols = new ProtocolSet(this);
    this.tcp = new TcpEndpoints({
      stack: this.stack,
      after: (ns, name, fn) => this.timers.after(ns, name, fn),
      randomU32: () => ctx.randomU32(),
    });
    this.stack.routing = role === "router";
    if (role === "host") this.stack.defaultTtl = 128;
    if (role === "host") this.stack.answerDelay.range = HOST_ANSWER_DELAY_NS;
    // One interface per wired port, with a MAC derived from the device id and port (like aabb.cc00.0100).
    for (const port of ctx.ports) {
      const kind: InterfaceKind = port.kind === "serial" ? "serial" : "ethernet";
      const mac = interfaceMac(ctx.id, port.index);
      this.addInterface(new RouterInterface(port.name, kind, port.index, mac, port.bitsPerSecond));
      // The runtime keeps a port across restarts: its hold queue starts at IOS's default until the config says.
      ctx.setOutputQueueLimit(port.index, HOLD_QUEUE_OUT);
    }
    if (role === "router") this.addInterface(new RouterInterface("Null0", "null", null, 0, 0));
    if (role === "router") watchRoutingTable(this.stack.rib, (line) => this.debugLine("ip-routing", line));
    if (role === "router") {
      const after = (delayNs: TimeNs, name: string, fn: () => void) => this.timers.after(delayNs, name, fn);
      const ipsec = new CryptoMapDataplane({
        stack: this.stack,
        crypto: this.crypto,
        acl: (name) => this.acls.get(name),
        now: () => this.now(),
        randomFill: (out) => fillRandom(ctx, out),
        log: (text) => this.log(text),
        debugIpsec: (line) => this.debugLine("crypto-ipsec", line),
        after,
        requestSa: (request) => this.ike?.requestSa(request),
        espBackend: espBackendFromEnvironment(),
      });
      this.ipsec = ipsec;
      this.stack.crypto = ipsec;
      const nat = new NatDataplane({
        now: () => this.now(),
        after,
        acl: (name) => this.acls.get(name),
        routeMap: (name) => routePolicy(this).routeMaps.get(name),
        vfrEvent: (e) => this.log(renderVfrEvent(e)),
        interfaceAddress: (name) => this.stack.interface(name)?.config.address?.address,
        debug: (detailed, line) => this.debugLine(detailed ? "ip-nat-detailed" : "ip-nat", line),
      });
      this.nat = nat;
      this.stack.nat = nat;
      this.ike = this.protocols.start(
        ikeProtocol({
          crypto: this.crypto,
          dataplane: ipsec,
          acl: (name) => this.acls.get(name),
          now: () => this.now(),
          randomBytes: (n) => fillRandom(ctx, new Uint8Array(n)),
          after,
          log: (text) => this.log(text),
          debugIsakmp: (line) => this.debugLine("crypto-isakmp", line),
          debugIpsec: (line) => this.debugLine("crypto-ipsec", line),
          exportKeys: (record) => ctx.exportKeys?.(record),
        }),
        () => {}, // IKE writes its own IOS text for now
      );
    }
  }

  /** Streams output of the command now running. */
  write(text: string): void {
    this.output?.(text);
  }

  /** Ends the command now running (a job calls this when done). */
  finishCommand(): void {
    this.finished?.();
  }

  /** Bytes from the device's seeded random source (RSA keys, certificates). */
  randomBytes(n: number): Uint8Array {
    return fillRandom(this.ctx, new Uint8Array(n));
  }

  /** Current virtual time. */
  now(): TimeNs {
    return this.ctx.now();
  }

  /** Interfaces in display order. */
  interfaces(): RouterInterface[] {
    return this.order.map((n) => this.stack.interface(n)!).filter((i) => i !== undefined);
  }

  /** Interface by any spelling IOS accepts (`gi0/0`, `GigabitEthernet0/0`). */
  findInterface(name: string): RouterInterface | undefined {
    const canonical = canonicalInterfaceName(name) ?? name;
    return this.stack.interface(canonical);
  }

  /** Adds an interface and keeps IOS's listing order (by type then number). */
  addInterface(ifc: RouterInterface): void {
    this.stack.addInterface(ifc);
    insertSorted(this.order, ifc.name, compareInterfaceNames);
    if (ifc.parent !== null) {
      const siblings = this.children.get(ifc.parent) ?? [];
      this.children.set(ifc.parent, siblings);
      const byName = (a: RouterInterface, b: RouterInterface) => compareInterfaceNames(a.name, b.name);
      // A subinterface created again under its old name takes its old place.
      const at = binarySearch(siblings, ifc, byName);
      if (siblings[at]?.name === ifc.name) siblings.splice(at, 1);
      insertSorted(siblings, ifc, byName);
    }
    this.protocols.interfaceEvent({ kind: "created", ifc });
  }

  /** The subinterfaces of an interface, in listing order. */
  subinterfacesOf(ifc: RouterInterface): readonly RouterInterface[] {
    return this.children.get(ifc) ?? [];
  }

  /**
   * Creates a logical interface on first reference (`interface Loopback0`,
   * `interface Gi0/0.100`, `interface Tunnel0`), as IOS does; physical ones must exist in the topology.
   */
  ensureInterface(canonical: string): RouterInterface | string {
    const existing = this.stack.interface(canonical);
    if (existing !== undefined) return existing;
    if (/^Loopback\d+$/.test(canonical)) {
      const ifc = new RouterInterface(canonical, "loopback", null, 0, 0);
      this.addInterface(ifc);
      this.interfaceChanged(ifc);
      return ifc;
    }
    if (/^Tunnel\d+$/.test(canonical)) return createTunnelInterface(this, canonical);
    const sub = canonical.match(/^(.+)\.(\d+)$/);
    if (sub !== null) {
      const parent = this.stack.interface(sub[1]!);
      if (parent === undefined || parent.parent !== null)
        return `% Invalid interface: ${sub[1]} is not wired in this lab`;
      if (parent.kind !== "ethernet") return "% Subinterfaces are only supported on Ethernet here";
      const ifc = new RouterInterface(canonical, "ethernet", parent.port, parent.mac, parent.bitsPerSecond, parent);
      this.addInterface(ifc);
      this.interfaceChanged(ifc);
      return ifc;
    }
    return `% Invalid interface: ${canonical} is not wired to anything in this lab`;
  }

  /** Removes a logical interface (`no interface Loopback0`). */
  removeInterface(ifc: RouterInterface): string | void {
    if (ifc.port !== null && ifc.parent === null) return "% Physical interfaces cannot be removed";
    if (ifc.kind === "null") return "% Null0 cannot be removed";
    this.stack.removeInterface(ifc.name);
    const at = binarySearch(this.order, ifc.name, compareInterfaceNames);
    if (this.order[at] === ifc.name) this.order.splice(at, 1);
    else this.order = this.order.filter((n) => n !== ifc.name);
    if (ifc.parent !== null) {
      const siblings = this.children.get(ifc.parent) ?? [];
      const i = siblings.indexOf(ifc);
      if (i >= 0) siblings.splice(i, 1);
    }
    this.lastState.delete(ifc.name);
    this.protocols.interfaceEvent({ kind: "deleted", ifc });
  }

  /**
   * Applies a change to an interface's configuration or carrier: line-protocol
   * transitions are logged as IOS logs them, and routes follow.
   */
  interfaceChanged(ifc: RouterInterface, carrierChange = false): void {
    const related = [ifc, ...this.subinterfacesOf(ifc)];
    const events: InterfaceEvent[] = [];
    for (const i of related) {
      const status = i.status;
      const proto = i.lineProtocolUp;
      const prev = this.lastState.get(i.name);
      const addresses = i
        .addresses()
        .map((a) => `${a.address}/${a.length}`)
        .join(",");
      const parameters = `${i.mtu}/${i.ipMtu}/${i.bandwidthKbps}/${i.delayTensOfUs}`;
      if (prev !== undefined && prev.proto !== proto) events.push({ kind: "lineProtocolChanged", ifc: i, up: proto });
      if (prev !== undefined && prev.addresses !== addresses) events.push({ kind: "addressChanged", ifc: i });
      if (prev !== undefined && prev.parameters !== parameters) events.push({ kind: "parametersChanged", ifc: i });
      if (prev === undefined || prev.status !== status || prev.proto !== proto) {
        i.lastChangeAt = this.now();
        if (prev !== undefined && i.parent === null && this.linkLog !== null) this.linkLog(i, prev, { status, proto });
        else if (prev !== undefined && i.parent === null) {
          if (prev.status !== status) {
            const text = status === "administratively down" ? "administratively down" : status;
            this.log(
              `%LINK-${status === "administratively down" ? 5 : 3}-UPDOWN: Interface ${i.name}, changed state to ${text}`,
            );
          }
          if (prev.proto !== proto)
            this.log(
              `%LINEPROTO-5-UPDOWN: Line protocol on Interface ${i.name}, changed state to ${proto ? "up" : "down"}`,
            );
        }
        if (carrierChange && prev !== undefined && prev.proto !== proto) i.counters.carrierTransitions++;
      }
      this.lastState.set(i.name, { status, proto, addresses, parameters });
    }
    if (ifc.port !== null && ifc.parent === null) {
      this.ctx.setPortEnabled(ifc.port, !ifc.config.shutdown);
      this.ctx.setPortMtu?.(ifc.port, ifc.mtu);
    }
    // Only these interfaces changed: each refreshes what it contributes, and the RIB commits once.
    this.stack.withCommitsHeld(() => {
      for (const i of related) this.stack.refreshInterface(i);
    });
    // Protocols hear of the change once the connected routes and local addresses follow it.
    for (const e of events) this.protocols.interfaceEvent(e);
  }

  /**
   * A syslog line: into the buffer and, as `logging console` allows, to the lab
   * console, stamped as `service timestamps log` says (or with `stamp`: null for none).
   */
  log(text: string, stamp: string | null = formatTimestamp(this.timestamps.log, this.now(), this.bootedAt)): void {
    this.logging.add(this.now(), text, stamp);
    if (this.consoleLine.showsMessage(text)) this.ctx.console(text, stamp);
  }

  /** A debug line of a category, stamped and kept when its switch is on (`line` is only called then). */
  debugLine(
    category:
      | "ip-packet"
      | "ip-packet-detail"
      | "ip-icmp"
      | "arp"
      | "crypto-isakmp"
      | "crypto-ipsec"
      | "crypto-gdoi"
      | "ip-nat"
      | "ip-nat-detailed"
      | "ip-routing"
      | "ip-rip"
      | "nhrp"
      | "ospf-adj"
      | "ospf-hello",
    line: () => string,
  ): void {
    const on =
      (category === "ip-icmp" && this.debug.ipIcmp) ||
      (category === "ip-packet" && this.debug.ipPacket) ||
      (category === "ip-packet-detail" && this.debug.ipPacketDetail) ||
      (category === "arp" && this.debug.arp) ||
      (category === "crypto-isakmp" && this.debug.cryptoIsakmp) ||
      (category === "crypto-ipsec" && this.debug.cryptoIpsec) ||
      (category === "crypto-gdoi" && this.debug.cryptoGdoi) ||
      (category === "ip-nat" && this.debug.ipNat) ||
      (category === "ip-nat-detailed" && this.debug.ipNatDetailed) ||
      (category === "ip-routing" && this.debug.ipRouting) ||
      (category === "ip-rip" && this.debug.ipRip) ||
      (category === "nhrp" && this.debug.nhrp) ||
      (category === "ospf-adj" && (this.debug.ospfAdj || this.debug.ospfEvents)) ||
      (category === "ospf-hello" && (this.debug.ospfHello || this.debug.ospfEvents));
    if (!on) return;
    // A debug message may span lines (IOS prints its continuation lines untimestamped).
    const text = line();
    const stamp = formatTimestamp(this.timestamps.debug, this.now(), this.bootedAt);
    this.logging.add(this.now(), text, stamp);
    // To the console only after `terminal monitor` (console-line.ts), so scenario syslog stays as it was.
    if (this.consoleLine.showsDebug()) this.ctx.console(text, stamp);
  }
}

/** Fills `out` from the device's seeded random source (keys, nonces, IVs, SPIs). */
function fillRandom(ctx: DeviceContext, out: Uint8Array): Uint8Array {
  for (let i = 0; i < out.length; i += 4) {
    const r = ctx.randomU32();
    for (let j = 0; j < 4 && i + j < out.length; j++) out[i + j] = (r >>> (8 * j)) & 0xff;
  }
  return out;
}

/** Inserts `item` into the sorted `list` at its place (not again when it is there already). */
function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  const at = binarySearch(list, item, compare);
  if (at < list.length && list[at] === item) return;
  list.splice(at, 0, item);
}

/** The first index whose item is not below `item`. */
function binarySearch<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const TYPE_ORDER = [
  "Ethernet",
  "FastEthernet",
  "GigabitEthernet",
  "TenGigabitEthernet",
  "Serial",
  "Loopback",
  "Tunnel",
  "Null",
];

/** IOS lists interfaces by type, then by number (subinterfaces after their parent). */
export function compareInterfaceNames(a: string, b: string): number {
  const ta = TYPE_ORDER.findIndex((t) => a.startsWith(t));
  const tb = TYPE_ORDER.findIndex((t) => b.startsWith(t));
  if (ta !== tb) return (ta < 0 ? 99 : ta) - (tb < 0 ? 99 : tb);
  const na = (a.match(/[\d/.:]+$/)?.[0] ?? "").split(/[/.:]/).map(Number);
  const nb = (b.match(/[\d/.:]+$/)?.[0] ?? "").split(/[/.:]/).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
