// Same scenario, same seed: the same event trace whatever the number of workers
// (inline, one Bun Worker, two Bun Workers), byte for byte.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "wanlab-trace-"));

async function trace(name: string, workers: number, seed = 1): Promise<string> {
  const path = join(dir, `${name}-${workers}-${seed}.trace`);
  const result = await runScenario(name, { workers, seed, tracePath: path });
  expect(result.ok).toBe(true);
  return readFileSync(path, "utf8");
}

describe("determinism", () => {
  for (const name of ["ecmp", "bad-input"]) {
    test(`${name}: identical trace for --workers 0, 1 and 2`, async () => {
      const inline = await trace(name, 0);
      const one = await trace(name, 1);
      const two = await trace(name, 2);
      expect(inline.split("\n").length).toBeGreaterThan(40);
      expect(one).toBe(inline);
      expect(two).toBe(inline);
    });
  }
  test("the trace records frames and timers with virtual times", async () => {
    const lines = (await trace("basic-ping", 2)).trim().split("\n");
    expect(lines.some((l) => / R2 rx Serial0\/0 len=\d+ h=[0-9a-f]{8}$/.test(l))).toBe(true);
    expect(lines.some((l) => / R1 timer ping-timeout#\d+$/.test(l))).toBe(true);
    const times = lines.map((l) => Number(l.split(" ")[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });
});
