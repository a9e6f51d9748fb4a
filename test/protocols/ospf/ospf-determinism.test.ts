// The OSPF scenarios give the same event trace, byte for byte, inline and on
// one or two Bun Workers: timers, DD sequence numbers from the seeded source,
// flooding order and the shared LSA bodies change nothing between placements.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "wanlab-ospf-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trace(name: string, workers: number): Promise<string> {
  const path = join(dir, `${name}-${workers}.trace`);
  const result = await runScenario(name, { workers, seed: 3, tracePath: path });
  expect(result.ok).toBe(true);
  return readFileSync(path, "utf8");
}

describe("OSPF determinism", () => {
  for (const name of ["ospf-network-types", "ospf-lsa-types"])
    test(`${name}: identical trace for --workers 0, 1 and 2`, async () => {
      const inline = await trace(name, 0);
      expect(inline.split("\n").length).toBeGreaterThan(500);
      expect(await trace(name, 1)).toBe(inline);
      expect(await trace(name, 2)).toBe(inline);
    }, 180_000);
});
