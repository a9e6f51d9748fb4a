// Same scenario, same seed: the same event trace whatever the number of workers
// (inline, one Bun Worker, two Bun Workers), byte for byte.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { runSteps } from "../../src/scenario/runner.ts";

const dir = mkdtempSync(join(tmpdir(), "wanlab-trace-"));

type Usage = { wasm: number; native: number; ref: number };
type EngineCounts = { name: string; sealed: Usage; opened: Usage };

/** R1's `show crypto engine brief`: the configured engine and the packets each implementation really handled. */
function engineCounts(text: string): EngineCounts {
  const usage = (what: string): Usage => {
    const m = new RegExp(`packets ${what} \\(wanlab\\):\\s+wasm (\\d+), native (\\d+), ref (\\d+)`).exec(text);
    expect(m).not.toBeNull();
    return { wasm: Number(m![1]), native: Number(m![2]), ref: Number(m![3]) };
  };
  const name = /Software Crypto Engine \(wanlab (\w+)\)/.exec(text)?.[1] ?? "";
  return { name, sealed: usage("sealed"), opened: usage("opened") };
}

/** Runs a scenario's steps with a trace, then asks R1 which engines sealed and opened its packets. */
async function traceWithEngines(name: string, workers: number): Promise<{ trace: string; engines: EngineCounts }> {
  const scenario = loadScenario(name, 1);
  const lines: string[] = [];
  const captureDir = mkdtempSync(join(tmpdir(), "wanlab-engines-"));
  const lab = await Lab.create(scenario.lab, {
    workers,
    factories: deviceFactories,
    trace: (line) => lines.push(line),
    capture: new PcapDirectorySink(captureDir),
  });
  try {
    const result = await runSteps(scenario.name, lab, scenario.steps, () => {}, { captureDir });
    expect(result.ok).toBe(true);
    const engines = engineCounts((await lab.command("R1", "show crypto engine brief")).output);
    return { trace: lines.join("\n"), engines };
  } finally {
    lab.close();
  }
}

async function trace(name: string, workers: number, seed = 1): Promise<string> {
  const path = join(dir, `${name}-${workers}-${seed}.trace`);
  const result = await runScenario(name, { workers, seed, tracePath: path });
  expect(result.ok).toBe(true);
  return readFileSync(path, "utf8");
}

describe("determinism", () => {
  for (const name of ["ecmp", "bad-input", "ipsec-crypto-map", "ipsec-nat-t", "ipsec-rsa-sig"]) {
    test(`${name}: identical trace for --workers 0, 1 and 2`, async () => {
      const inline = await trace(name, 0);
      const one = await trace(name, 1);
      const two = await trace(name, 2);
      expect(inline.split("\n").length).toBeGreaterThan(40);
      expect(one).toBe(inline);
      expect(two).toBe(inline);
    });
  }
  test("ipsec-transport-ah: every ESP/AH implementation (--crypto wasm, native, auto) puts the same bytes on the wire, and the chosen one did the work", async () => {
    const before = process.env.WANLAB_CRYPTO;
    const runs: Array<{ trace: string; engines: EngineCounts }> = [];
    try {
      for (const backend of ["wasm", "native", "auto"]) {
        process.env.WANLAB_CRYPTO = backend;
        runs.push(await traceWithEngines("ipsec-transport-ah", backend === "wasm" ? 0 : 1));
      }
    } finally {
      if (before === undefined) delete process.env.WANLAB_CRYPTO;
      else process.env.WANLAB_CRYPTO = before;
    }
    const [wasm, native, auto] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    expect(wasm.trace.split("\n").length).toBeGreaterThan(40);
    expect(native.trace).toBe(wasm.trace);
    expect(auto.trace).toBe(wasm.trace);
    // Same packets through the same SAs, so the same totals; each fixed choice did all of them.
    const total = (u: Usage): number => u.wasm + u.native + u.ref;
    expect(total(wasm.engines.sealed)).toBeGreaterThan(0);
    expect(total(wasm.engines.opened)).toBeGreaterThan(0);
    for (const r of [native, auto]) {
      expect(total(r.engines.sealed)).toBe(total(wasm.engines.sealed));
      expect(total(r.engines.opened)).toBe(total(wasm.engines.opened));
    }
    expect(wasm.engines.name).toBe("wasm");
    expect(wasm.engines.sealed.wasm).toBe(total(wasm.engines.sealed));
    expect(wasm.engines.opened.wasm).toBe(total(wasm.engines.opened));
    expect(native.engines.name).toBe("native");
    expect(native.engines.sealed.native).toBe(total(native.engines.sealed));
    expect(native.engines.opened.native).toBe(total(native.engines.opened));
    // auto picks wasm or native per size from its calibration; never the TypeScript reference.
    expect(auto.engines.name).toBe("auto");
    expect(auto.engines.sealed.ref + auto.engines.opened.ref).toBe(0);
  });
  test("the trace records frames and timers with virtual times", async () => {
    const lines = (await trace("basic-ping", 2)).trim().split("\n");
    expect(lines.some((l) => / R2 rx Serial0\/0 len=\d+ h=[0-9a-f]{8}$/.test(l))).toBe(true);
    expect(lines.some((l) => / R1 timer ping-timeout#\d+$/.test(l))).toBe(true);
    const times = lines.map((l) => Number(l.split(" ")[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });
});

describe("step timing", () => {
  test("a command that finishes off the grid ends at the same virtual time on any worker count", async () => {
    const { chainLab } = await import("../../src/bench/chain-lab.ts");
    const { Lab } = await import("../../src/runtime/lab.ts");
    const { deviceFactories } = await import("../../actors/index.ts");
    const ends: number[] = [];
    const outputs: string[] = [];
    for (const workers of [0, 2]) {
      const c = chainLab({ routers: 6 });
      const lab = await Lab.create(c.spec, { workers, factories: deviceFactories });
      await lab.run(1e9);
      // Echoes dropped while ARP resolves, then fragmented jumbo echoes: completions fall off the 1 ms grid.
      const out = await lab.command(c.names[0]!, `ping ${c.loopbacks[5]} size 18024 repeat 4`);
      const after = await lab.command(c.names[0]!, "show clock");
      ends.push(lab.now);
      outputs.push(out.output + after.output);
      lab.close();
    }
    expect(ends[1]).toBe(ends[0]!);
    expect(outputs[1]).toBe(outputs[0]!);
  });
});
