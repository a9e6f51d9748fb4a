// Loads a scenario folder: topology.json, one <device>.cfg per device, and
// steps.txt. Scenarios live in scenarios/<name>/.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LabSpec } from "../runtime/topology.ts";
import { parseSteps, type Step } from "./steps.ts";
import { buildLabSpec, type TopologyFile } from "./topology-file.ts";

/** The folder holding the shipped scenarios. */
export const SCENARIOS_DIR = join(import.meta.dir, "..", "..", "scenarios");

/** A loaded scenario. */
export interface Scenario {
  name: string;
  description: string;
  lab: LabSpec;
  steps: Step[];
}

/** Names and one-line descriptions of the scenarios in a folder. */
export function listScenarios(dir = SCENARIOS_DIR): Array<{ name: string; description: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "topology.json")))
    .map((d) => {
      const topo = JSON.parse(readFileSync(join(dir, d.name, "topology.json"), "utf8")) as TopologyFile;
      return { name: d.name, description: topo.description ?? "" };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads a scenario by name (or folder path). */
export function loadScenario(nameOrPath: string, seed = 1, dir = SCENARIOS_DIR): Scenario {
  const folder = existsSync(join(nameOrPath, "topology.json")) ? nameOrPath : join(dir, nameOrPath);
  const topoPath = join(folder, "topology.json");
  if (!existsSync(topoPath)) throw new Error(`no scenario named '${nameOrPath}' (looked for ${topoPath})`);
  let topo: TopologyFile;
  try {
    topo = JSON.parse(readFileSync(topoPath, "utf8")) as TopologyFile;
  } catch (e) {
    throw new Error(`${topoPath}: ${(e as Error).message}`);
  }
  const configs: Record<string, string> = {};
  for (const device of Object.keys(topo.devices ?? {})) {
    const entry = topo.devices[device];
    const file = typeof entry === "object" && entry.config ? entry.config : `${device}.cfg`;
    const path = join(folder, file);
    if (existsSync(path)) configs[device] = readFileSync(path, "utf8");
  }
  const name = folder.split(/[\\/]/).filter(Boolean).pop()!;
  const stepsPath = join(folder, "steps.txt");
  const steps = existsSync(stepsPath) ? parseSteps(stepsPath, readFileSync(stepsPath, "utf8")) : [];
  return { name, description: topo.description ?? "", lab: buildLabSpec(name, topoPath, topo, configs, seed), steps };
}
