// The convergence loop the routing benchmarks share: run a generated lab on
// the virtual clock in 5-second steps until every adjacency is up (counted
// from syslog, each adjacency logged at both ends) and then until every router
// holds all its routes (asked with a `| count` show of all routers at once).
// The wall time spent polling is returned apart so it can be left out.

import type { Lab } from "../runtime/lab.ts";

/** What a benchmark's generated lab gives the loop. */
export interface GeneratedRoutingLab {
  readonly names: readonly string[];
  readonly links: number;
  /** Routes each router must hold, by index in names. */
  readonly expectedRoutes: readonly number[];
}

/** How to read one protocol's progress. */
export interface ConvergenceProbe {
  /** A syslog line that brings an adjacency up at one end (e.g. %OSPF-5-ADJCHG … to FULL). */
  isUp(text: string): boolean;
  /** A syslog line that takes one down. */
  isDown(text: string): boolean;
  /** The show whose count is a router's routes of the protocol (e.g. `show ip route ospf | count ^O`). */
  routeCountCommand: string;
}

/** Progress after a poll, as numbers (the text says the same). */
export interface ConvergenceCounts {
  virtualNs: number;
  adjacencies: number;
  links: number;
  routersComplete: number;
  routers: number;
}

export interface Convergence {
  converged: boolean;
  virtualNs: number;
  /** Adjacencies up at the end (both ends logged). */
  adjacencies: number;
  routersComplete: number;
  /** Wall time spent in the route polls. */
  pollMs: number;
}

const STEP_NS = 5e9;

/** Runs `lab` until converged or `maxNs` of virtual time, reporting progress after each step. */
export async function runUntilConverged(
  lab: Lab,
  generated: GeneratedRoutingLab,
  probe: ConvergenceProbe,
  maxNs: number,
  progress?: (s: string, counts: ConvergenceCounts) => void,
): Promise<Convergence> {
  let virtualNs = 0;
  let ends = 0;
  let seen = 0;
  let pollMs = 0;
  const pending = new Set(generated.names.map((_, i) => i));
  while (virtualNs < maxNs) {
    await lab.run(STEP_NS);
    virtualNs += STEP_NS;
    // lab.syslog only grows: read the lines that arrived since the last step.
    for (; seen < lab.syslog.length; seen++) {
      const text = lab.syslog[seen]!.text;
      if (probe.isUp(text)) ends++;
      else if (probe.isDown(text)) ends--;
    }
    const report = (complete: number): void =>
      progress?.(
        `${virtualNs / 1e9} s virtual: ${ends / 2}/${generated.links} adjacencies, ${complete}/${generated.names.length} routers complete`,
        {
          virtualNs,
          adjacencies: ends / 2,
          links: generated.links,
          routersComplete: complete,
          routers: generated.names.length,
        },
      );
    if (ends < 2 * generated.links) {
      report(generated.names.length - pending.size);
      continue;
    }
    const p0 = performance.now();
    const asked = [...pending];
    const outputs = await lab.commands(
      asked.map((i) => ({ device: generated.names[i]!, line: probe.routeCountCommand })),
    );
    asked.forEach((i, j) => {
      const routes = Number(/= (\d+)/.exec(outputs[j]!.output)?.[1] ?? -1);
      if (routes === generated.expectedRoutes[i]) pending.delete(i);
    });
    pollMs += performance.now() - p0;
    const complete = generated.names.length - pending.size;
    report(complete);
    if (pending.size === 0) break;
  }
  return {
    converged: pending.size === 0,
    virtualNs,
    adjacencies: ends / 2,
    routersComplete: generated.names.length - pending.size,
    pollMs,
  };
}
