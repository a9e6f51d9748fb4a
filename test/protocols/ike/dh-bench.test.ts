// The DH micro benchmark returns one sane row per group and backend (run short,
// on group 1 only: dh.test.ts needs group 2's engine unbuilt for its policy test).
import { expect, test } from "bun:test";
import { benchIkeDh } from "../../../src/protocols/ike/dh-bench.ts";

test("benchIkeDh measures key pairs, secrets and tunnel cost per group and backend", () => {
  let t = 0;
  const rows = benchIkeDh({ groups: [1], minMs: 5, now: () => (t += 1) });
  expect(rows.map((r) => [r.group, r.backend])).toEqual([
    [1, "engine"],
    [1, "bigint"],
  ]);
  for (const r of rows) {
    expect(r.keyPairMs).toBeGreaterThan(0);
    expect(r.sharedSecretMs).toBeGreaterThan(0);
    expect(r.tunnelMs).toBeCloseTo(2 * r.keyPairMs + 2 * r.sharedSecretMs, 9);
    expect(r.tunnelsPerSecond).toBeCloseTo(1000 / r.tunnelMs, 9);
    expect(r.available).toBe(true);
    expect(r.setupMs === null).toBe(r.backend === "bigint");
  }
  expect(rows[0]!.bits).toBe(768);
  expect(rows[1]!.exponentBits).toBe(160);
  expect(benchIkeDh({ groups: [1], backends: ["bigint"], minMs: 1 }).length).toBe(1);
});
