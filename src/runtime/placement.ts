// Device placement on partitions by the topology graph, not by name: every
// wire joins its devices with a weight that grows as its latency shrinks (a
// fast wire between partitions shortens every synchronisation window, so it
// should stay inside one), and the devices are split by recursive bisection
// into parts of (nearly) equal size with few, slow wires between them: grow
// one side from a peripheral device along the strongest wires (whole
// components first, so independent sub-labs never share a cut), then move
// single devices across while that lowers the cut and keeps the balance.
// Deterministic: ties go to the lowest device id.

import type { TimeNs } from "./device.ts";
import type { LabSpec } from "./topology.ts";

/** Neighbours of each device with the weight of the wires joining them. */
type Graph = Map<number, number>[];

/** Partition index of every device (by id), for `partitions` partitions. */
export function placeDevices(spec: LabSpec, partitions: number): number[] {
  const n = spec.devices.length;
  const placement = new Array<number>(n).fill(0);
  if (partitions <= 1 || n === 0) return placement;
  const graph = buildGraph(spec);
  const assign = (vertices: number[], first: number, parts: number): void => {
    if (parts <= 1 || vertices.length <= 1) {
      for (const v of vertices) placement[v] = first;
      return;
    }
    const left = Math.floor(parts / 2);
    const target = Math.round((vertices.length * left) / parts);
    const side = bisect(graph, vertices, target);
    assign(
      vertices.filter((v) => side.has(v)),
      first,
      left,
    );
    assign(
      vertices.filter((v) => !side.has(v)),
      first + left,
      parts - left,
    );
  };
  assign(
    spec.devices.map((d) => d.id),
    0,
    Math.min(partitions, n),
  );
  return placement;
}

/** Smallest latency of any wire whose ends sit in different partitions (Infinity if none). */
export function crossPartitionLatency(spec: LabSpec, placement: readonly number[]): TimeNs {
  let w = Infinity;
  for (const wire of spec.wires) {
    const parts = new Set(wire.ends.map((e) => placement[e.deviceId]));
    if (parts.size > 1) w = Math.min(w, wire.latencyNs);
  }
  return w;
}

/** Sum of the weights of wires cut by a placement (what the bisection minimises; for tests and tools). */
export function cutWeight(spec: LabSpec, placement: readonly number[]): number {
  const graph = buildGraph(spec);
  let cut = 0;
  graph.forEach((edges, v) => {
    for (const [u, w] of edges) if (u > v && placement[u] !== placement[v]) cut += w;
  });
  return cut;
}

function buildGraph(spec: LabSpec): Graph {
  const graph: Graph = spec.devices.map(() => new Map());
  for (const wire of spec.wires) {
    // 1 per microsecond of latency saved: a 0.1 ms wire weighs 10, a 1 ms wire 1.
    const weight = 1e6 / Math.max(wire.latencyNs, 1);
    const ids = [...new Set(wire.ends.map((e) => e.deviceId))];
    for (const a of ids) for (const b of ids) if (a !== b) graph[a]!.set(b, (graph[a]!.get(b) ?? 0) + weight);
  }
  return graph;
}

/** Chooses `target` of `vertices` for one side, with a small cut. */
function bisect(graph: Graph, vertices: number[], target: number): Set<number> {
  const inSet = new Set(vertices);
  const side = new Set<number>();
  // Connection weight of each outside vertex to the side being grown.
  const pull = new Map<number, number>();
  let seed = peripheral(graph, inSet, Math.min(...vertices));
  while (side.size < target) {
    let next = -1;
    let best = -1;
    for (const [v, w] of pull) if (w > best || (w === best && v < next)) [next, best] = [v, w];
    if (next < 0) {
      // The component is used up: start the next one from a peripheral device of it.
      if (seed < 0) seed = peripheral(graph, inSet, Math.min(...vertices.filter((v) => !side.has(v))));
      next = seed;
      seed = -1;
    }
    pull.delete(next);
    side.add(next);
    for (const [u, w] of graph[next]!) if (inSet.has(u) && !side.has(u)) pull.set(u, (pull.get(u) ?? 0) + w);
  }
  refine(graph, inSet, side, target);
  return side;
}

/** The device farthest (in hops) from `start` within the set, lowest id on ties: a good place to grow from. */
function peripheral(graph: Graph, inSet: Set<number>, start: number): number {
  const seen = new Set([start]);
  let frontier = [start];
  let last = start;
  while (frontier.length > 0) {
    last = Math.min(...frontier);
    const next: number[] = [];
    for (const v of frontier)
      for (const u of graph[v]!.keys())
        if (inSet.has(u) && !seen.has(u)) {
          seen.add(u);
          next.push(u);
        }
    frontier = next;
  }
  return last;
}

/** Moves single devices across while a move lowers the cut and keeps the side within one device of its target. */
function refine(graph: Graph, inSet: Set<number>, side: Set<number>, target: number): void {
  const slack = Math.max(1, Math.floor(inSet.size / 20));
  // Each move lowers the cut, so this ends; the bound keeps thousand-device labs quick.
  for (let pass = 0; pass < Math.min(4 * inSet.size, 256); pass++) {
    let move = -1;
    let bestGain = 0;
    for (const v of inSet) {
      const inside = side.has(v);
      const size = side.size + (inside ? -1 : 1);
      if (Math.abs(size - target) > slack) continue;
      let gain = 0;
      for (const [u, w] of graph[v]!) if (inSet.has(u)) gain += side.has(u) === inside ? -w : w;
      if (gain > bestGain || (gain === bestGain && gain > 0 && v < move)) [move, bestGain] = [v, gain];
    }
    if (move < 0) return;
    if (side.has(move)) side.delete(move);
    else side.add(move);
  }
}
