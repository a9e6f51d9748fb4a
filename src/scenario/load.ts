// Loads a scenario folder: topology.json, one <device>.cfg per device, and
// steps.txt. Scenarios live in scenarios/<name>/. Everything that can be
// checked before a lab exists is checked here (device kinds included), so a
// mistake is a message naming its place rather than a failure inside a
// Worker; a device without a config file (that the topology does not declare
// with `"config": null`) boots empty, with a warning that says so.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import type { LabSpec } from "../runtime/topology.ts";
import { parseSteps, type Step } from "./steps.ts";
import { buildLabSpec, deviceConfigFile, type TopologyFile } from "./topology-file.ts";
import { expandGroups } from "./topology-groups.ts";

/** The folder holding the shipped scenarios. */
export const SCENARIOS_DIR = join(import.meta.dir, "..", "..", "scenarios");

/** A loaded scenario. */
export interface Scenario {
  name: string;
  description: string;
  lab: LabSpec;
  steps: Step[];
  /** topology.json's `"strict": true`: a rejected config line fails the run unless a step expects it. */
  strict: boolean;
  /** What the loader noticed but let pass (a device booting without a config file). */
  warnings: string[];
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

/** Reads a scenario by name (or folder path); `kinds` are the device kinds a lab can build. */
export function loadScenario(
  nameOrPath: string,
  seed = 1,
  dir = SCENARIOS_DIR,
  kinds: readonly string[] = Object.keys(deviceFactories),
  /** Group sizes replacing topology.json's counts (`--scale SPOKE=50`). */
  scale: Readonly<Record<string, number>> = {},
): Scenario {
  const folder = existsSync(join(nameOrPath, "topology.json")) ? nameOrPath : join(dir, nameOrPath);
  const topoPath = join(folder, "topology.json");
  if (!existsSync(topoPath)) throw new Error(`no scenario named '${nameOrPath}' (looked for ${topoPath})`);
  let topo: TopologyFile;
  try {
    topo = JSON.parse(readFileSync(topoPath, "utf8")) as TopologyFile;
  } catch (e) {
    throw new Error(`${topoPath}: ${(e as Error).message}`);
  }
  // Generated groups become plain devices (configured from their template), links and segments.
  const expanded = expandGroups(topoPath, topo, (f) => readFileSync(join(folder, f), "utf8"), scale);
  topo = expanded.topo;
  const configs: Record<string, string> = { ...expanded.configs };
  const warnings: string[] = [];
  const devices = typeof topo?.devices === "object" && topo.devices !== null ? topo.devices : {};
  for (const device of Object.keys(devices).sort()) {
    if (device in expanded.configs) continue;
    const file = deviceConfigFile(topoPath, device, devices[device]!);
    if (file === null) continue;
    const path = join(folder, file);
    if (existsSync(path)) configs[device] = readFileSync(path, "utf8");
    else warnings.push(`% ${device}: no configuration file ${file}; booting with an empty configuration`);
  }
  const name = folder.split(/[\\/]/).filter(Boolean).pop()!;
  const lab = buildLabSpec(name, topoPath, topo, configs, seed, kinds);
  const stepsPath = join(folder, "steps.txt");
  const steps = existsSync(stepsPath) ? parseSteps(stepsPath, readFileSync(stepsPath, "utf8")) : [];
  return { name, description: topo.description ?? "", lab, steps, strict: topo.strict === true, warnings };
}
