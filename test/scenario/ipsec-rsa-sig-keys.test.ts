// The ipsec-rsa-sig lab trusts keys by value: R1's and R3's configurations
// hold R2's public key, R2's holds R1's, as `show crypto key mypubkey rsa`
// prints them. The routers import fixed key pairs (`crypto key import rsa …
// pem terminal`), so the keys are the same for every seed; if a key-string
// goes stale, this says which and prints the hex to paste, before the
// scenario's own expectations fail further down the line.

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";

const DIR = join(import.meta.dir, "../../scenarios/ipsec-rsa-sig");

/** Hex of the `Key Data:` block of `show crypto key mypubkey rsa`. */
function shownKey(output: string): { hex: string; lines: string[] } {
  const m = /Key Data:\n((?: {2}[0-9A-F ]+\n?)+)/.exec(output);
  const lines = (m?.[1] ?? "")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.trimEnd());
  return { hex: lines.join("").replace(/\s+/g, ""), lines };
}

/** Hex of the key-string under `addressed-key ADDRESS` in a config file. */
function configuredKey(file: string, address: string): string {
  const text = readFileSync(join(DIR, file), "utf8");
  const m = new RegExp(
    `addressed-key ${address.replace(/\./g, "\\.")}\\n\\s+key-string\\n((?:\\s+[0-9A-F ]+\\n)+)\\s+quit`,
  ).exec(text);
  if (m === null) throw new Error(`${file}: no key-string under addressed-key ${address}`);
  return m[1]!.replace(/\s+/g, "");
}

describe("ipsec-rsa-sig: the key-strings in the configurations are the keys the routers import, for any seed", () => {
  const shown: Record<number, string> = {};
  for (const seed of [1, 7, 42])
    test(`R1 and R3 hold R2's key, R2 holds R1's (seed ${seed})`, async () => {
      const scenario = loadScenario("ipsec-rsa-sig", seed);
      const lab = await Lab.create(scenario.lab, { workers: 0, factories: deviceFactories });
      try {
        await lab.run(1e9);
        const generated: Record<string, ReturnType<typeof shownKey>> = {};
        for (const r of ["R1", "R2"])
          generated[r] = shownKey((await lab.command(r, "show crypto key mypubkey rsa")).output);
        shown[seed] = generated.R1!.hex + generated.R2!.hex;
        expect(shown[seed]).toBe(shown[1] ?? shown[seed]!);
        const checks = [
          { file: "R1.cfg", address: "10.0.12.2", owner: "R2" },
          { file: "R3.cfg", address: "10.0.23.2", owner: "R2" },
          { file: "R2.cfg", address: "10.0.12.1", owner: "R1" },
        ];
        for (const c of checks) {
          const g = generated[c.owner]!;
          expect(g.hex.length).toBe(324);
          const stale = configuredKey(c.file, c.address) !== g.hex;
          if (stale)
            console.error(
              `scenarios/ipsec-rsa-sig/${c.file}: the key-string of addressed-key ${c.address} is not ${c.owner}'s generated key any more; ${c.owner} now prints:\n${g.lines.join("\n")}`,
            );
          expect({ file: c.file, address: c.address, stale }).toEqual({
            file: c.file,
            address: c.address,
            stale: false,
          });
        }
      } finally {
        lab.close();
      }
    });
});
