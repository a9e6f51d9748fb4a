// Runs a named scenario end to end: load, build the lab (inline or on
// Workers), run the steps, write trace and captures, close.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../capture/lab-capture.ts";
import { Lab } from "../runtime/lab.ts";
import { FrameRecorder } from "./frame-recorder.ts";
import { loadScenario } from "./load.ts";
import { runSteps, type ScenarioResult } from "./runner.ts";

/** How to run a scenario. */
export interface RunOptions {
  seed?: number;
  /** 0 = inline (no Workers). */
  workers?: number;
  tracePath?: string;
  captureDir?: string;
  print?: (text: string) => void;
  /** Fail on any rejected config line no step expects (also on when topology.json says "strict": true). */
  strict?: boolean;
  /** `vlan`: one pcap per VLAN of each Ethernet wire (tagged frames), untagged frames in the wire's file. */
  captureSplit?: "vlan";
  /** Generated group sizes replacing topology.json's counts (`--scale SPOKE=50`). */
  scale?: Readonly<Record<string, number>>;
}

/** Loads and runs a scenario; resolves with its result. */
export async function runScenario(name: string, opts: RunOptions = {}): Promise<ScenarioResult> {
  const scenario = loadScenario(name, opts.seed ?? 1, undefined, undefined, opts.scale);
  const print = opts.print ?? (() => {});
  const traceLines: string[] = [];
  // A `capture` step asks for captures even without --capture: they go to captures/<scenario>/.
  const wantsCapture = scenario.steps.some((s) => s.kind === "capture");
  const captureDir = opts.captureDir ?? (wantsCapture ? join(process.cwd(), "captures", scenario.name) : undefined);
  const capture =
    captureDir !== undefined ? new PcapDirectorySink(captureDir, { split: opts.captureSplit }) : undefined;
  // A `replay` step sends again a frame that crossed a wire: the lab's capture stream keeps them.
  const frames = scenario.steps.some((s) => s.kind === "replay") ? new FrameRecorder(capture) : undefined;
  const lab = await Lab.create(scenario.lab, {
    workers: opts.workers ?? 0,
    factories: deviceFactories,
    trace: opts.tracePath !== undefined ? (line) => traceLines.push(line) : undefined,
    capture: frames ?? capture,
  });
  try {
    const result = await runSteps(scenario.name, lab, scenario.steps, print, {
      captureDir,
      strict: opts.strict === true || scenario.strict,
      warnings: scenario.warnings,
      frames,
    });
    const keyFiles = capture?.keyFiles() ?? [];
    if (keyFiles.length > 0) result.keyFiles = keyFiles;
    return result;
  } finally {
    lab.close();
    if (opts.tracePath !== undefined) {
      mkdirSync(dirname(opts.tracePath), { recursive: true });
      writeFileSync(opts.tracePath, traceLines.join("\n") + (traceLines.length ? "\n" : ""));
    }
  }
}
