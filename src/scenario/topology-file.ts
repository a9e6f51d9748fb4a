// Reads a scenario's topology.json into a LabSpec: devices with their kinds
// and configs, point-to-point links and multi-access segments with latency,
// jitter, bandwidth, MTU and loss. Interface names are canonicalised as IOS would
// (`R1 s0/0` -> Serial0/0). A device is `"R1": "router"` or `"R1": { "kind":
// "router", "config": "edge.cfg" }`; `"config": null` declares on purpose that
// it boots with an empty configuration. Every mistake is reported with its
// place, device kinds included (checked against the kinds the lab can build).
// A linux-host's interfaces are written eth0, eth1 ... (IOS reads them as
// Ethernet0, Ethernet1; the host shows the Linux names).
// "taps": [{"port": "R1 GigabitEthernet0/2", "tap": "wl0"}] attaches a port
// to a Linux TAP device on the host (src/host-bridge) by a one-ended wire.

import { canonicalInterfaceName } from "../config/cli/interface-name.ts";
import { type DeviceSpec, defaultBitsPerSecond, type LabSpec, portKindOf, type WireSpec } from "../runtime/topology.ts";
import type { GroupEntry } from "./topology-groups.ts";

/** One end of a wire as written: "R1 Serial0/0". */
type EndText = string;

/** Physical properties a link or segment may set. */
export interface WireProps {
  latencyMs?: number;
  /** Extra one-way delay per frame, uniform in [0, jitterMs] (seeded; frames keep their order). */
  jitterMs?: number;
  bandwidthKbps?: number;
  mtu?: number;
  loss?: number;
}

/** A device as written: its kind, or its kind and config file (null: none on purpose). */
export type DeviceEntry = string | { kind: string; config?: string | null };

/** A lab port attached to a Linux TAP device on the host. */
export type TapEntry = WireProps & { port: EndText; tap: string };

/** topology.json as written by a user. */
export interface TopologyFile {
  description?: string;
  /** Every rejected config line fails the run unless a step declares it (as --strict does). */
  strict?: boolean;
  devices: Record<string, DeviceEntry>;
  links?: Array<WireProps & { name?: string; a: EndText; b: EndText }>;
  segments?: Array<WireProps & { name: string; ports: EndText[] }>;
  /** Ports attached to host TAP devices (src/host-bridge): `{"port": "R1 GigabitEthernet0/2", "tap": "wl0"}`. */
  taps?: TapEntry[];
  /** Generated device groups (topology-groups.ts), expanded before the lab is built. */
  groups?: Record<string, GroupEntry>;
}

/** A problem in a topology file. */
export class TopologyError extends Error {
  constructor(file: string, where: string, message: string) {
    super(`${file}: ${where}: ${message}`);
    this.name = "TopologyError";
  }
}

/** Default one-way latency: 1 ms on serial links, 0.1 ms on Ethernet. */
function defaultLatencyMs(kind: "serial" | "ethernet"): number {
  return kind === "serial" ? 1 : 0.1;
}

/** The kind of a device entry (undefined when it has none). */
export function deviceKind(entry: DeviceEntry): string | undefined {
  if (typeof entry === "string") return entry;
  return typeof entry === "object" && entry !== null && typeof entry.kind === "string" ? entry.kind : undefined;
}

/**
 * The config file a device entry names: `<device>.cfg` by default, null when
 * the entry says `"config": null` (no configuration, on purpose).
 */
export function deviceConfigFile(file: string, device: string, entry: DeviceEntry): string | null {
  if (typeof entry !== "object" || entry === null || !("config" in entry) || entry.config === undefined)
    return `${device}.cfg`;
  if (entry.config === null) return null;
  if (typeof entry.config !== "string" || entry.config.trim() === "")
    throw new TopologyError(file, `device ${device}`, '"config" must be a file name, or null for none');
  return entry.config;
}

/**
 * Builds a lab from a parsed topology file; `configs` gives each device's
 * configuration text by device name (missing means an empty config) and
 * `kinds` the device kinds the lab can build.
 */
export function buildLabSpec(
  name: string,
  file: string,
  topo: TopologyFile,
  configs: Record<string, string>,
  seed: number,
  kinds: readonly string[] = ["router", "host", "linux-host"],
): LabSpec {
  if (typeof topo !== "object" || topo === null || typeof topo.devices !== "object" || topo.devices === null)
    throw new TopologyError(file, "top level", 'needs a "devices" object');
  if (topo.strict !== undefined && typeof topo.strict !== "boolean")
    throw new TopologyError(file, "strict", "must be true or false");
  const names = Object.keys(topo.devices).sort();
  const known = [...kinds].sort().join(", ");
  const byName = new Map<string, DeviceSpec>();
  const devices: DeviceSpec[] = names.map((n, id) => {
    const kind = deviceKind(topo.devices[n]!);
    if (kind === undefined) throw new TopologyError(file, `device ${n}`, `needs a kind (one of: ${known})`);
    if (!kinds.includes(kind))
      throw new TopologyError(file, `device ${n}`, `unknown device kind "${kind}" (known kinds: ${known})`);
    const spec: DeviceSpec = { id, name: n, kind, config: configs[n] ?? "", ports: [] };
    byName.set(n, spec);
    return spec;
  });
  const wires: WireSpec[] = [];
  const used = new Set<string>();
  const attach = (end: EndText, where: string, wireId: number) => {
    const m = typeof end === "string" ? end.trim().match(/^(\S+)\s+(.+)$/) : null;
    if (m === null) throw new TopologyError(file, where, `"${end}" should be "<device> <interface>"`);
    const device = byName.get(m[1]!);
    if (device === undefined) throw new TopologyError(file, where, `unknown device "${m[1]}"`);
    const ifName = canonicalInterfaceName(m[2]!.replace(/\s+/g, ""));
    if (ifName === undefined) throw new TopologyError(file, where, `"${m[2]}" is not an interface name`);
    if (ifName.includes("."))
      throw new TopologyError(file, where, `${ifName} is a subinterface; wire its main interface`);
    // A Linux host's ports are eth0, eth1 ... (canonically Ethernet0, Ethernet1: Ethernet ports).
    if (device.kind === "linux-host" && !/^Ethernet\d+$/.test(ifName))
      throw new TopologyError(file, where, `${device.name} is a linux-host: name its interfaces eth0, eth1 ...`);
    const key = `${device.name} ${ifName}`;
    if (used.has(key)) throw new TopologyError(file, where, `${key} is wired twice`);
    used.add(key);
    const port = { index: device.ports.length, name: ifName, kind: portKindOf(ifName), wireId };
    device.ports.push(port);
    return { deviceId: device.id, port: port.index, name: ifName };
  };
  const props = (p: WireProps, where: string, kind: "serial" | "ethernet", firstIf: string) => {
    const latencyMs = p.latencyMs ?? defaultLatencyMs(kind);
    if (!(latencyMs > 0)) throw new TopologyError(file, where, "latencyMs must be above 0");
    const jitterMs = p.jitterMs ?? 0;
    if (!(typeof jitterMs === "number" && jitterMs >= 0 && Number.isFinite(jitterMs)))
      throw new TopologyError(file, where, "jitterMs must be 0 or above");
    const loss = p.loss ?? 0;
    if (!(loss >= 0 && loss < 1)) throw new TopologyError(file, where, "loss must be in [0, 1)");
    const mtu = p.mtu ?? 1500;
    if (!(mtu >= 68 && mtu <= 18000)) throw new TopologyError(file, where, "mtu must be 68..18000");
    const bitsPerSecond = p.bandwidthKbps !== undefined ? p.bandwidthKbps * 1000 : defaultBitsPerSecond(firstIf);
    if (!(bitsPerSecond > 0)) throw new TopologyError(file, where, "bandwidthKbps must be above 0");
    return { latencyNs: Math.round(latencyMs * 1e6), jitterNs: Math.round(jitterMs * 1e6), loss, mtu, bitsPerSecond };
  };
  (topo.links ?? []).forEach((link, i) => {
    const where = `links[${i}]`;
    const id = wires.length;
    const a = attach(link.a, where, id);
    const b = attach(link.b, where, id);
    const kind = portKindOf(a.name);
    if (portKindOf(b.name) !== kind)
      throw new TopologyError(file, where, `cannot wire ${a.name} to ${b.name} (serial to Ethernet)`);
    const wireName = link.name ?? `${link.a.split(/\s+/)[0]}-${link.b.split(/\s+/)[0]}`;
    wires.push({ id, name: wireName, kind, segment: false, ends: [a, b], ...props(link, where, kind, a.name) });
  });
  (topo.segments ?? []).forEach((seg, i) => {
    const where = `segments[${i}] (${seg.name})`;
    const id = wires.length;
    if (!Array.isArray(seg.ports) || seg.ports.length < 1) throw new TopologyError(file, where, "needs ports");
    const ends = seg.ports.map((p) => attach(p, where, id));
    if (ends.some((e) => portKindOf(e.name) !== "ethernet"))
      throw new TopologyError(file, where, "segments are Ethernet only");
    wires.push({
      id,
      name: seg.name,
      kind: "ethernet",
      segment: true,
      ends,
      ...props(seg, where, "ethernet", ends[0]!.name),
    });
  });
  (topo.taps ?? []).forEach((entry, i) => {
    const where = `taps[${i}]`;
    if (typeof entry !== "object" || entry === null) throw new TopologyError(file, where, 'needs "port" and "tap"');
    // Linux interface names: 1-15 characters, no '/', no whitespace.
    if (typeof entry.tap !== "string" || !/^[A-Za-z0-9_.-]{1,15}$/.test(entry.tap))
      throw new TopologyError(file, where, `"tap" must be a Linux interface name of 1-15 letters, digits, _ . -`);
    const id = wires.length;
    const end = attach(entry.port, where, id);
    if (portKindOf(end.name) !== "ethernet") throw new TopologyError(file, where, "a TAP carries Ethernet only");
    if (wires.some((w) => w.tap === entry.tap)) throw new TopologyError(file, where, `TAP ${entry.tap} is used twice`);
    // One end in the lab: carrier stays up like a switch port's; the host side is the TAP.
    wires.push({
      id,
      name: `tap:${entry.tap}`,
      kind: "ethernet",
      segment: true,
      ends: [end],
      tap: entry.tap,
      ...props(entry, where, "ethernet", end.name),
    });
  });
  const wireNames = new Set<string>();
  for (const w of wires) {
    if (wireNames.has(w.name))
      throw new TopologyError(file, "wires", `two wires are named "${w.name}"; give links a "name"`);
    wireNames.add(w.name);
  }
  return { name, seed, devices, wires };
}
