// Every shipped scenario is a test: it must run strict (no rejected config
// line that its steps do not declare) and meet all its expectations, for
// seeds 1 to 5 — expectations state behaviour, never one seed's draws.
// Inline (Workers 0): the determinism tests cover the Worker placements.
import { describe, expect, test } from "bun:test";
import { listScenarios } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/scenario/run-scenario.ts";

const SEEDS = [1, 2, 3, 4, 5];

describe("shipped scenarios", () => {
  const scenarios = listScenarios();
  test("the four foundation scenarios are there", () => {
    const names = scenarios.map((s) => s.name);
    for (const n of ["basic-ping", "mtu-sweep", "ecmp", "bad-input"]) expect(names).toContain(n);
    for (const s of scenarios) expect(s.description.length).toBeGreaterThan(10);
  });
  for (const { name } of scenarios) {
    for (const seed of SEEDS) {
      test(`${name} --seed ${seed} --strict`, async () => {
        let transcript = "";
        const result = await runScenario(name, { workers: 0, seed, strict: true, print: (t) => (transcript += t) });
        if (!result.ok) console.log(transcript);
        expect(result.failure).toBeUndefined();
        expect(result.ok).toBe(true);
        expect(result.strict).toBe(true);
        expect(result.warnings).toEqual([]);
        expect(result.expectations.length).toBeGreaterThan(0);
        expect(result.expectations.every((e) => e.ok)).toBe(true);
      });
    }
  }
});
