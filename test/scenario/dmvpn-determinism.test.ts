// dmvpn-phase3 (registrations, pseudo-multicast, traffic indications,
// resolutions forwarded by the hub, NHRP routes, shortcut expiry, NHO) gives
// the same event trace inline and on two Bun Workers, byte for byte.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";

describe("dmvpn determinism", () => {
  test("dmvpn-phase3: identical trace for --workers 0 and 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-dmvpn-trace-"));
    try {
      const traces: string[] = [];
      for (const workers of [0, 2]) {
        const path = join(dir, `${workers}.trace`);
        const result = await runScenario("dmvpn-phase3", { workers, seed: 3, tracePath: path, print: () => {} });
        expect(result.ok).toBe(true);
        traces.push(readFileSync(path, "utf8"));
      }
      expect(traces[0]!.length).toBeGreaterThan(1000);
      expect(traces[1]).toBe(traces[0]!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
