// IOS's CDP shows, from the running process's state: `show cdp` (global
// settings), `show cdp neighbors [IF] [detail]` (the table with the time left
// on each entry, or one block per entry), `show cdp interface [IF]` and
// `show cdp traffic` (the counters, bad advertisements included).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { CdpNeighbor } from "../../protocols/cdp/cdp-process.ts";
import { CDP_CAP } from "../../wire/cdp.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { cdpConfig, cdpEnabledOn, cdpProcess } from "./cdp-store.ts";

const NOT_ENABLED = "% CDP is not enabled\n";

/** `show cdp`. */
export function renderShowCdp(device: RouterDevice): string {
  if (cdpProcess(device) === undefined) return NOT_ENABLED;
  const c = cdpConfig(device);
  return [
    "Global CDP information:",
    `\tSending CDP packets every ${c.timerSec} seconds`,
    `\tSending a holdtime value of ${c.holdtimeSec} seconds`,
    "\tSending CDPv2 advertisements is  enabled",
    "",
  ].join("\n");
}

/** CDP's short interface name: `Gig 0/0`, `Fas 0/1`, `Ser 1/0`, `Eth 0/0`; others in full. */
export function cdpShortName(name: string): string {
  const m = /^(GigabitEthernet|FastEthernet|Ethernet|Serial)(\d.*)$/.exec(name);
  return m === null ? name : `${m[1]!.slice(0, 3)} ${m[2]}`;
}

const CAP_LETTERS: ReadonlyArray<[number, string]> = [
  [CDP_CAP.router, "R"],
  [CDP_CAP.transBridge, "T"],
  [CDP_CAP.sourceRouteBridge, "B"],
  [CDP_CAP.switch, "S"],
  [CDP_CAP.host, "H"],
  [CDP_CAP.igmp, "I"],
  [CDP_CAP.repeater, "r"],
];
const CAP_WORDS: ReadonlyArray<[number, string]> = [
  [CDP_CAP.router, "Router"],
  [CDP_CAP.transBridge, "Trans-Bridge"],
  [CDP_CAP.sourceRouteBridge, "Source-Route-Bridge"],
  [CDP_CAP.switch, "Switch"],
  [CDP_CAP.host, "Host"],
  [CDP_CAP.igmp, "IGMP"],
  [CDP_CAP.repeater, "Repeater"],
];

/** The platform column: IOS drops the vendor word (`Cisco 7206VXR` -> `7206VXR`). */
function platformColumn(platform: string): string {
  return platform.replace(/^cisco\s+/i, "");
}

/** `show cdp neighbors [IF] [detail]`. */
export function renderShowCdpNeighbors(
  device: RouterDevice,
  ifc: RouterInterface | undefined,
  detail: boolean,
): string {
  const cdp = cdpProcess(device);
  if (cdp === undefined) return NOT_ENABLED;
  const list = cdp.neighborList().filter((n) => ifc === undefined || n.localIfc === ifc);
  if (detail) {
    const blocks = list.map((n) => detailBlock(n, cdp.remainingSec(n)));
    return `${blocks.join("")}\nTotal cdp entries displayed : ${list.length}\n`;
  }
  const out = [
    "Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge",
    "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone, ",
    "                  D - Remote, C - CVTA, M - Two-port Mac Relay ",
    "",
    "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID",
  ];
  for (const n of list) {
    const caps = CAP_LETTERS.filter(([bit]) => (n.capabilities & bit) !== 0)
      .map(([, l]) => `${l} `)
      .join("");
    let id = n.deviceId;
    // A long device ID takes a line of its own, as IOS prints it.
    if (id.length > 16) {
      out.push(id);
      id = "";
    }
    out.push(
      `${id.padEnd(17)}${cdpShortName(n.localIfc.name).padEnd(18)}${String(cdp.remainingSec(n)).padEnd(11)}${caps.padStart(12)}${platformColumn(n.platform).padEnd(10)}${cdpShortName(n.portId)}`,
    );
  }
  out.push("", `Total cdp entries displayed : ${list.length}`, "");
  return out.join("\n");
}

function detailBlock(n: CdpNeighbor, holdSec: number): string {
  const addresses = n.addresses.map((a) => `  IP address: ${formatIpv4Address(a)}`);
  const caps = CAP_WORDS.filter(([bit]) => (n.capabilities & bit) !== 0)
    .map(([, w]) => w)
    .join(" ");
  return [
    "-------------------------",
    `Device ID: ${n.deviceId}`,
    "Entry address(es): ",
    ...addresses,
    `Platform: ${n.platform},  Capabilities: ${caps} `,
    `Interface: ${n.localIfc.name},  Port ID (outgoing port): ${n.portId}`,
    `Holdtime : ${holdSec} sec`,
    "",
    "Version :",
    n.softwareVersion,
    "",
    `advertisement version: ${n.version}`,
    "Management address(es): ",
    ...addresses,
    "",
    "",
  ].join("\n");
}

/** The encapsulation word `show cdp interface` prints per kind. */
function encapsulation(ifc: RouterInterface): string {
  if (ifc.kind === "ethernet") return ifc.parent !== null ? "802.1Q Virtual LAN" : "ARPA";
  if (ifc.kind === "serial") return "HDLC";
  return "TUNNEL";
}

/** `show cdp interface [IF]`. */
export function renderShowCdpInterface(device: RouterDevice, only: RouterInterface | undefined): string {
  if (cdpProcess(device) === undefined) return NOT_ENABLED;
  const c = cdpConfig(device);
  const list = device.interfaces().filter((i) => cdpEnabledOn(i) && (only === undefined || i === only));
  const out: string[] = [];
  for (const i of list) {
    out.push(
      `${i.name} is ${i.status}, line protocol is ${i.lineProtocolUp ? "up" : "down"}`,
      `  Encapsulation ${encapsulation(i)}`,
      `  Sending CDP packets every ${c.timerSec} seconds`,
      `  Holdtime is ${c.holdtimeSec} seconds`,
    );
  }
  if (only === undefined) {
    const up = list.filter((i) => i.lineProtocolUp).length;
    out.push(
      " ",
      ` cdp enabled interfaces : ${list.length}`,
      ` interfaces up          : ${up}`,
      ` interfaces down        : ${list.length - up}`,
    );
  }
  out.push("");
  return out.join("\n");
}

/** `show cdp traffic`. */
export function renderShowCdpTraffic(device: RouterDevice): string {
  const cdp = cdpProcess(device);
  if (cdp === undefined) return NOT_ENABLED;
  const t = cdp.counters;
  return [
    "CDP counters :",
    `\tTotal packets output: ${t.output}, Input: ${t.input}`,
    `\tHdr syntax: ${t.headerSyntax}, Chksum error: ${t.checksumErrors}, Encaps failed: ${t.encapsFailed}`,
    `\tNo memory: 0, Invalid packet: ${t.invalid}, `,
    `\tCDP version 1 advertisements output: ${t.v1Output}, Input: ${t.v1Input}`,
    `\tCDP version 2 advertisements output: ${t.v2Output}, Input: ${t.v2Input}`,
    "",
  ].join("\n");
}
