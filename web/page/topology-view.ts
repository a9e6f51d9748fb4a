// The topology: devices and links laid out by cytoscape's force-directed
// layout (cose), interface names at the link ends, links coloured by line
// protocol (green up, red down, grey not known yet). A segment (a switch) is
// drawn as a node with one edge per attached port.

import cytoscape from "cytoscape";
import type { LinkState, Topology } from "./lab-api.ts";

/** Short interface names, as IOS abbreviates them (Serial0/0 -> Se0/0). */
export function shortName(ifc: string): string {
  const m = /^([A-Za-z]+)(.*)$/.exec(ifc);
  if (m === null) return ifc;
  const abbrev: Record<string, string> = {
    GigabitEthernet: "Gi",
    FastEthernet: "Fa",
    Ethernet: "Et",
    Serial: "Se",
    TenGigabitEthernet: "Te",
    Tunnel: "Tu",
    Loopback: "Lo",
  };
  return (abbrev[m[1]!] ?? m[1]!) + m[2]!;
}

const COLOURS = { up: "#2da44e", down: "#cf222e", unknown: "#8c959f" } as const;

export type EdgeState = keyof typeof COLOURS;

/** The state of one edge: a point-to-point link (all ends) or one port of a segment (`end`). */
export function edgeState(s: LinkState | undefined, end: number | null): EdgeState {
  if (s === undefined) return "unknown";
  if (!s.adminUp) return "down";
  const ends = end === null ? s.ends : [s.ends[end] ?? null];
  if (ends.some((e) => e === false)) return "down";
  return ends.every((e) => e === true) ? "up" : "unknown";
}

/** Above this many nodes the force-directed layout (quadratic per iteration) gives way to a concentric one. */
const FORCE_LAYOUT_MAX_NODES = 150;

/**
 * Force-directed (cose) from random starting points for labs a person reads node by node; larger labs
 * (fleets, DMVPN spokes) are laid out in rings by degree, hubs in the middle, in linear time.
 */
function layoutFor(topo: Topology): cytoscape.LayoutOptions {
  const nodes = topo.devices.length + topo.links.filter((l) => l.segment).length;
  if (nodes > FORCE_LAYOUT_MAX_NODES)
    return {
      name: "concentric",
      animate: false,
      padding: 20,
      minNodeSpacing: 8,
      concentric: (n: cytoscape.NodeSingular) => n.degree(false),
      levelWidth: () => 1,
    };
  return {
    name: "cose",
    animate: false,
    randomize: true,
    padding: 40,
    nodeRepulsion: () => 400000,
    idealEdgeLength: () => 150,
    nodeOverlap: 40,
  };
}

/** Draws the topology into `container`; `onSelect` hears clicks on devices and links. */
export function drawTopology(
  container: HTMLElement,
  topo: Topology,
  onSelect: (what: { kind: "device"; name: string } | { kind: "link"; name: string }) => void,
): cytoscape.Core {
  const elements: cytoscape.ElementDefinition[] = topo.devices.map((d) => ({
    data: { id: `dev:${d.name}`, label: d.name, kind: d.kind, device: d.name },
  }));
  for (const l of topo.links) {
    if (l.segment) {
      elements.push({ data: { id: `seg:${l.name}`, label: l.name, kind: "segment", link: l.name } });
      l.ends.forEach((e, i) =>
        elements.push({
          data: {
            id: `link:${l.name}:${i}`,
            source: `seg:${l.name}`,
            target: `dev:${e.device}`,
            link: l.name,
            end: i,
            srcLabel: "",
            dstLabel: shortName(e.interface),
            state: "unknown",
          },
        }),
      );
    } else {
      const [a, b] = l.ends;
      elements.push({
        data: {
          id: `link:${l.name}`,
          source: `dev:${a!.device}`,
          target: `dev:${b!.device}`,
          link: l.name,
          end: null,
          srcLabel: shortName(a!.interface),
          dstLabel: shortName(b!.interface),
          state: "unknown",
        },
      });
    }
  }
  const cy = cytoscape({
    container,
    elements,
    layout: layoutFor(topo),
    maxZoom: 1.5,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "text-valign": "center",
          "text-halign": "center",
          "font-size": 13,
          "font-weight": "bold",
          color: "#fff",
          "background-color": "#0b5cad",
          shape: "round-rectangle",
          width: 56,
          height: 36,
        },
      },
      {
        selector: "node[kind = 'segment']",
        style: { "background-color": "#57606a", shape: "rectangle", width: 70, height: 22, "font-size": 11 },
      },
      {
        selector: "node[kind = 'host'], node[kind = 'linux-host']",
        style: { "background-color": "#6e40c9", shape: "ellipse" },
      },
      {
        selector: "edge",
        style: {
          width: 3,
          "curve-style": "bezier",
          "line-color": COLOURS.unknown,
          "source-label": "data(srcLabel)",
          "target-label": "data(dstLabel)",
          "source-text-offset": 34,
          "target-text-offset": 34,
          "font-size": 10,
          "text-background-color": "#fff",
          "text-background-opacity": 0.85,
          "text-background-padding": "1px",
        },
      },
      { selector: "edge[state = 'up']", style: { "line-color": COLOURS.up } },
      { selector: "edge[state = 'down']", style: { "line-color": COLOURS.down, "line-style": "dashed" } },
      { selector: ":selected", style: { "overlay-color": "#0969da", "overlay-opacity": 0.2, "overlay-padding": 6 } },
    ],
  });
  cy.on("tap", "node", (e) => {
    const n = e.target;
    if (n.data("kind") === "segment") onSelect({ kind: "link", name: n.data("link") });
    else onSelect({ kind: "device", name: n.data("device") });
  });
  cy.on("tap", "edge", (e) => onSelect({ kind: "link", name: e.target.data("link") }));
  return cy;
}

/** Colours every edge from the links' state. */
export function colourLinks(cy: cytoscape.Core, links: Record<string, LinkState>): void {
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const end = e.data("end") as number | null;
      e.data("state", edgeState(links[e.data("link") as string], end));
    });
  });
}
