// Command-line options of a Linux host's ping, traceroute and tracepath, read
// as getopt reads them (`-c 3`, `-c3`, `-nq 1`), with the messages the tools
// print for a bad option, a bad value or a missing destination.

import type { LinuxPingOptions, PmtuDiscovery } from "../../dataplane/pipeline/linux-ping.ts";
import type { LinuxTracepathOptions } from "../../dataplane/pipeline/linux-tracepath.ts";
import type { LinuxTracerouteOptions } from "../../dataplane/pipeline/linux-traceroute.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";

interface Parsed {
  values: Map<string, string>;
  flags: Set<string>;
  operands: string[];
}

/** getopt over words: `withValue` letters take an argument (attached or the next word). */
function getopt(tool: string, words: string[], withValue: string, plain: string): Parsed | string {
  const out: Parsed = { values: new Map(), flags: new Set(), operands: [] };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith("-") || w === "-") {
      out.operands.push(w);
      continue;
    }
    for (let j = 1; j < w.length; j++) {
      const c = w[j]!;
      if (withValue.includes(c)) {
        const rest = w.slice(j + 1);
        const value = rest !== "" ? rest : words[++i];
        if (value === undefined) return `${tool}: option requires an argument -- '${c}'`;
        out.values.set(c, value);
        break;
      }
      if (!plain.includes(c)) return `${tool}: invalid option -- '${c}'`;
      out.flags.add(c);
    }
  }
  return out;
}

/** An integer option in a range, or iputils' message. */
function integer(tool: string, text: string | undefined, lo: number, hi: number, fallback: number): number | string {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^\d+$/.test(text)) return `${tool}: invalid argument: '${text}'`;
  if (v < lo || v > hi) return `${tool}: invalid argument: '${text}': out of range: ${lo} <= value <= ${hi}`;
  return v;
}

function destination(tool: string, operands: string[]): number | string {
  if (operands.length === 0) return `${tool}: usage error: Destination address required`;
  const target = parseIpv4Address(operands[0]!);
  if (target === null) return `${tool}: ${operands[0]}: Name or service not known`;
  return target;
}

/** `ping [-c count] [-s size] [-M do|want|dont] [-t ttl] [-W timeout] destination`. */
export function parseLinuxPing(text: string): Omit<LinuxPingOptions, "id"> | string {
  const p = getopt("ping", text.trim().split(/\s+/).filter(Boolean), "cstWM", "n4");
  if (typeof p === "string") return p;
  const count = integer("ping", p.values.get("c"), 1, 2147483647, Number.POSITIVE_INFINITY);
  const dataBytes = integer("ping", p.values.get("s"), 0, 65507, 56);
  const ttl = integer("ping", p.values.get("t"), 1, 255, 64);
  if (typeof count === "string") return count;
  if (typeof dataBytes === "string") return dataBytes;
  if (typeof ttl === "string") return ttl;
  const w = p.values.get("W");
  const lingerSec = w === undefined ? 10 : Number(w);
  if (!(lingerSec > 0 && lingerSec <= 2147483)) return `ping: bad linger time: ${w}`;
  const m = p.values.get("M") ?? "want";
  if (m !== "do" && m !== "want" && m !== "dont") return `ping: invalid -M argument: ${m}`;
  const target = destination("ping", p.operands);
  if (typeof target === "string") return target;
  return { target, count, dataBytes, ttl, lingerSec, pmtu: m as PmtuDiscovery };
}

/** `traceroute [-n] [-f first_ttl] [-m max_ttl] [-q nqueries] [-w waittime] [-p port] host`. */
export function parseLinuxTraceroute(text: string): Omit<LinuxTracerouteOptions, "sourcePort"> | string {
  const p = getopt("traceroute", text.trim().split(/\s+/).filter(Boolean), "fmqwp", "nI4");
  if (typeof p === "string") return p;
  if (p.flags.has("I")) return "traceroute: -I (ICMP probes) is not supported here; wanlab's traceroute sends UDP";
  const firstTtl = integer("traceroute", p.values.get("f"), 1, 255, 1);
  const maxTtl = integer("traceroute", p.values.get("m"), 1, 255, 30);
  const probes = integer("traceroute", p.values.get("q"), 1, 10, 3);
  const port = integer("traceroute", p.values.get("p"), 1, 65535, 33434);
  for (const v of [firstTtl, maxTtl, probes, port]) if (typeof v === "string") return v;
  if ((firstTtl as number) > (maxTtl as number)) return "first hop out of range";
  const w = p.values.get("w");
  const waitSec = w === undefined ? 5 : Number(w);
  if (!(waitSec > 0 && waitSec <= 3600)) return `Cannot handle \`-w' option with arg \`${w}'`;
  if (p.operands.length === 0) return 'Specify "host" missing argument.';
  const target = parseIpv4Address(p.operands[0]!);
  if (target === null)
    return `${p.operands[0]}: Name or service not known\nCannot handle "host" cmdline arg \`${p.operands[0]}' on position 1 (argc 1)`;
  return {
    target,
    firstTtl: firstTtl as number,
    maxTtl: maxTtl as number,
    probes: probes as number,
    waitSec,
    numeric: p.flags.has("n"),
    port: port as number,
  };
}

/** `tracepath [-n] [-m max_hops] [-p port] destination`. */
export function parseLinuxTracepath(text: string): Omit<LinuxTracepathOptions, "sourcePort"> | string {
  const p = getopt("tracepath", text.trim().split(/\s+/).filter(Boolean), "mp", "n4");
  if (typeof p === "string") return p;
  const maxHops = integer("tracepath", p.values.get("m"), 1, 255, 30);
  const port = integer("tracepath", p.values.get("p"), 1, 65535, 44444);
  if (typeof maxHops === "string") return maxHops;
  if (typeof port === "string") return port;
  const target = destination("tracepath", p.operands);
  if (typeof target === "string") return target;
  return { target, maxHops, port };
}
