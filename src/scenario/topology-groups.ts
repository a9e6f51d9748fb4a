// Generated device groups in topology.json (seed 000's templates at lab
// scale): `"groups": {"SPOKE": {"count": 20, "kind": "router", "template":
// "spoke.cfg", "data": "spokes.csv"}}` declares SPOKE1 ... SPOKE20, each
// configured from the template filled with its index (and its row of the
// optional data file, row i for SPOKEi). Links and segments refer to a group
// by range: a link end "SPOKE[1-10] GigabitEthernet0/0" stands for ten links,
// one per index; the other end is either a range of the same length (paired
// in order) or a single end whose {{...}} placeholders are filled with the
// index (`"PE1 GigabitEthernet{{index}}/0"`, or spread over routers:
// `"PE{{add (div (sub index 1) 10) 1}} GigabitEthernet..."`). GROUP[*] is the
// whole group and GROUP[5-*] runs to its end, so a lab written with them
// follows a count override (`--scale SPOKE=50`). A segment port with a range
// attaches every device of it. Expansion happens before the lab is built,
// so the rest of the loader sees plain devices, links and segments.

import { compileTemplate, parseCsv, renderTemplate, TemplateError } from "./config-template.ts";
import { TopologyError, type TopologyFile } from "./topology-file.ts";

/** One generated group as written. */
export interface GroupEntry {
  count: number;
  kind: string;
  template: string;
  data?: string;
}

/** The largest group (a lab of this many devices still builds in seconds). */
const MAX_GROUP = 10000;

/**
 * Expands the topology's groups: devices, their configs (by device name) and
 * links and segments with every range written out. `read` gives a file of
 * the scenario folder; `counts` overrides group sizes (`--scale SPOKE=50`).
 */
export function expandGroups(
  file: string,
  topo: TopologyFile,
  read: (name: string) => string,
  counts: Readonly<Record<string, number>> = {},
): { topo: TopologyFile; configs: Record<string, string> } {
  const configs: Record<string, string> = {};
  const groups = topo.groups ?? {};
  if (typeof groups !== "object" || groups === null || Array.isArray(groups))
    throw new TopologyError(file, "groups", "must be an object of group name to { count, kind, template }");
  const devices = { ...(topo.devices ?? {}) };
  const sizes = new Map<string, number>();
  for (const name of Object.keys(counts))
    if (!(name in groups)) throw new TopologyError(file, "--scale", `no group named ${name}`);
  for (const [name, g] of Object.entries(groups)) {
    const where = `groups.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9-]*[A-Za-z-]$|^[A-Za-z]$/.test(name))
      throw new TopologyError(file, where, "a group name is letters (and - ), not ending in a digit");
    const count = counts[name] ?? g?.count;
    if (!Number.isInteger(count) || count! < 1 || count! > MAX_GROUP)
      throw new TopologyError(file, where, `count must be a whole number 1..${MAX_GROUP}`);
    if (typeof g.kind !== "string") throw new TopologyError(file, where, 'needs a "kind"');
    if (typeof g.template !== "string") throw new TopologyError(file, where, 'needs a "template" file');
    sizes.set(name, count!);
    let template: ReturnType<typeof compileTemplate>;
    let rows: Array<Record<string, string>> = [];
    try {
      template = compileTemplate(read(g.template), g.template);
      if (g.data !== undefined) {
        const data = parseCsv(read(g.data), g.data);
        if (data.rows.length < count!)
          throw new TemplateError({ file: g.data }, `has ${data.rows.length} rows for ${count} devices of ${name}`);
        rows = data.rows;
      }
    } catch (e) {
      throw new TopologyError(file, where, (e as Error).message);
    }
    for (let i = 1; i <= count!; i++) {
      const device = `${name}${i}`;
      if (device in devices) throw new TopologyError(file, where, `${device} is also declared under devices`);
      devices[device] = { kind: g.kind, config: null };
      try {
        configs[device] = renderTemplate(template, rows[i - 1] ?? {}, i, {
          file: g.data ?? g.template,
          ...(g.data !== undefined ? { row: i } : {}),
        });
      } catch (e) {
        throw new TopologyError(file, `${where} (${device})`, (e as Error).message);
      }
    }
  }
  const links: NonNullable<TopologyFile["links"]> = [];
  (topo.links ?? []).forEach((link, i) => {
    const where = `links[${i}]`;
    const a = parseEnd(file, where, link.a, sizes);
    const b = parseEnd(file, where, link.b, sizes);
    if (a.range === null && b.range === null) {
      links.push(link);
      return;
    }
    const [lead, other] = a.range !== null ? [a, b] : [b, a];
    const indexes = lead.range!;
    if (other.range !== null && other.range.length !== indexes.length)
      throw new TopologyError(
        file,
        where,
        `the two ranges have ${indexes.length} and ${other.range.length} devices; pair ranges of one length`,
      );
    indexes.forEach((index, k) => {
      const leadEnd = lead.render(index, where);
      const otherEnd = other.range !== null ? other.render(other.range[k]!, where) : other.render(index, where);
      const [ea, eb] = a.range !== null ? [leadEnd, otherEnd] : [otherEnd, leadEnd];
      const { name: _name, ...props } = link;
      links.push({
        ...props,
        a: ea,
        b: eb,
        ...(link.name !== undefined ? { name: `${link.name}-${index}` } : {}),
      });
    });
  });
  const segments = (topo.segments ?? []).map((seg, i) => {
    const where = `segments[${i}]`;
    if (!Array.isArray(seg.ports)) return seg;
    const ports = seg.ports.flatMap((p) => {
      const end = parseEnd(file, where, p, sizes);
      return end.range === null ? [p] : end.range.map((index) => end.render(index, where));
    });
    return { ...seg, ports };
  });
  const { groups: _groups, ...rest } = topo;
  return { topo: { ...rest, devices, links, segments }, configs };
}

interface ParsedEnd {
  /** The indexes of a range end, null for a single device. */
  range: number[] | null;
  /** The end for one index (a range's device, placeholders filled). */
  render(index: number, where: string): string;
}

/** "SPOKE[1-10] Gi0/0", "PE1 GigabitEthernet{{index}}/0" or a plain end. */
function parseEnd(file: string, where: string, end: unknown, sizes: ReadonlyMap<string, number>): ParsedEnd {
  if (typeof end !== "string") return { range: null, render: () => end as string };
  const m = end.trim().match(/^([A-Za-z][A-Za-z0-9-]*)\[([^\]]*)\](\s+.+)$/);
  const template = (text: string): ((index: number, at: string) => string) => {
    if (!text.includes("{{")) return () => text;
    let compiled: ReturnType<typeof compileTemplate>;
    try {
      compiled = compileTemplate(text, "topology.json");
    } catch (e) {
      throw new TopologyError(file, where, (e as Error).message);
    }
    return (index, at) => {
      try {
        return renderTemplate(compiled, {}, index, { file: "topology.json" });
      } catch (e) {
        throw new TopologyError(file, at, `"${text}" for index ${index}: ${(e as Error).message}`);
      }
    };
  };
  if (m === null) {
    if (/\[[^\]]*\]/.test(end.split(/\s+/)[0] ?? ""))
      throw new TopologyError(file, where, `"${end}": a range is written GROUP[first-last], e.g. SPOKE[1-10]`);
    const fill = template(end);
    return { range: null, render: fill };
  }
  const group = m[1]!;
  const size = sizes.get(group);
  if (size === undefined) throw new TopologyError(file, where, `"${end}": no group named ${group}`);
  // [first-last], [first-*] (to the group's end) or [*] (the whole group, whatever --scale makes it).
  const bounds = m[2]!.trim() === "*" ? ["1", "*"] : m[2]!.split("-").map((b) => b.trim());
  if (bounds.length !== 2 || !/^\d+$/.test(bounds[0]!) || !/^(\d+|\*)$/.test(bounds[1]!))
    throw new TopologyError(file, where, `"${end}": a range is written GROUP[first-last], GROUP[first-*] or GROUP[*]`);
  const first = Number(bounds[0]);
  const last = bounds[1] === "*" ? size : Number(bounds[1]);
  if (first < 1 || last < first || last > size)
    throw new TopologyError(file, where, `"${end}": the range must be within ${group}[1-${size}], first <= last`);
  const rest = template(m[3]!);
  const range = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  return { range, render: (index, at) => `${group}${index}${rest(index, at)}` };
}
