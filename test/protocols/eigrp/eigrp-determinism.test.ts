// eigrp-metrics gives the same event trace, byte for byte, inline and on two
// Bun Workers: hello jitter comes from the devices' seeded sources, timers and
// the deferred RIB commit from the virtual clock, nothing from the placement.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "wanlab-eigrp-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trace(workers: number, seed: number): Promise<string> {
  const path = join(dir, `eigrp-metrics-${workers}-${seed}.trace`);
  const result = await runScenario("eigrp-metrics", { workers, seed, tracePath: path, print: () => {} });
  expect(result.ok).toBe(true);
  return readFileSync(path, "utf8");
}

describe("EIGRP determinism", () => {
  test("eigrp-metrics: identical trace for --workers 0 and 2; another seed, other hello times", async () => {
    const inline = await trace(0, 3);
    expect(inline.split("\n").length).toBeGreaterThan(200);
    expect(await trace(2, 3)).toBe(inline);
    expect(await trace(0, 4)).not.toBe(inline);
  }, 180_000);
});
