// The console's --tap "R1 GigabitEthernet0/2=wl0[,R2 Gi0/1=wl1]": attaches a
// free lab port to a host TAP in a loaded lab, as a topology.json "taps" entry
// would (a one-ended Ethernet wire leading to the TAP). The port must not be
// wired already; every mistake names the entry.

import { canonicalInterfaceName } from "../config/cli/interface-name.ts";
import { defaultBitsPerSecond, type LabSpec, portKindOf } from "../runtime/topology.ts";

/** Parses a --tap value into port/TAP pairs. */
export function parseTapOption(value: string): { port: string; tap: string }[] {
  return value.split(",").map((entry) => {
    const m = entry.trim().match(/^(.+?)\s*=\s*([A-Za-z0-9_.-]{1,15})$/);
    if (m === null)
      throw new Error(`--tap "${entry.trim()}": write "<device> <interface>=<tap name>", e.g. "R1 Gi0/2=wl0"`);
    return { port: m[1]!, tap: m[2]! };
  });
}

/** Adds a wire from `port` ("R1 Gi0/2") to TAP `tap` to a loaded lab. */
export function attachTap(spec: LabSpec, port: string, tap: string): void {
  const where = `--tap "${port}=${tap}"`;
  const m = port.trim().match(/^(\S+)\s+(.+)$/);
  if (m === null) throw new Error(`${where}: "${port}" should be "<device> <interface>"`);
  const device = spec.devices.find((d) => d.name.toLowerCase() === m[1]!.toLowerCase());
  if (device === undefined) throw new Error(`${where}: no device named "${m[1]}"`);
  const ifName = canonicalInterfaceName(m[2]!.replace(/\s+/g, ""));
  if (ifName === undefined || ifName.includes(".")) throw new Error(`${where}: "${m[2]}" is not a main interface name`);
  if (portKindOf(ifName) !== "ethernet") throw new Error(`${where}: a TAP carries Ethernet only`);
  if (device.ports.some((p) => p.name === ifName))
    throw new Error(`${where}: ${device.name} ${ifName} is wired already`);
  if (spec.wires.some((w) => w.tap === tap)) throw new Error(`${where}: TAP ${tap} is used twice`);
  const wireId = spec.wires.length;
  const index = device.ports.length;
  device.ports.push({ index, name: ifName, kind: "ethernet", wireId });
  spec.wires.push({
    id: wireId,
    name: `tap:${tap}`,
    kind: "ethernet",
    segment: true,
    ends: [{ deviceId: device.id, port: index }],
    latencyNs: 100_000,
    jitterNs: 0,
    bitsPerSecond: defaultBitsPerSecond(ifName),
    mtu: 1500,
    loss: 0,
    tap,
  });
}
