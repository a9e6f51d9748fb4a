// Every shipped scenario is a test: it must run and meet all its expectations.
import { describe, expect, test } from "bun:test";
import { listScenarios } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/scenario/run-scenario.ts";

describe("shipped scenarios", () => {
  const scenarios = listScenarios();
  test("the four foundation scenarios are there", () => {
    const names = scenarios.map((s) => s.name);
    for (const n of ["basic-ping", "mtu-sweep", "ecmp", "bad-input"]) expect(names).toContain(n);
    for (const s of scenarios) expect(s.description.length).toBeGreaterThan(10);
  });
  for (const { name } of scenarios) {
    test(name, async () => {
      let transcript = "";
      const result = await runScenario(name, { workers: 0, print: (t) => (transcript += t) });
      if (!result.ok) console.log(transcript);
      expect(result.failure).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.expectations.length).toBeGreaterThan(0);
      expect(result.expectations.every((e) => e.ok)).toBe(true);
    });
  }
});
