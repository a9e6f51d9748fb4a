// The matcher keeps the start states of each mode and the states after runs of
// whole keywords (`crypto isakmp ...`), and reuses them for every later line
// (match.ts `shared`). Reuse must never change a result: every distinct line of
// the shipped scenarios' configurations (and its first word shortened to three
// letters) matches in config and interface mode exactly as it does against a
// fresh copy of the spec list (cold caches), and the same again afterwards
// (nothing a walk did to a shared list leaks into the next line).

import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { matchLine } from "../../../src/config/cli/match.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";

const SCENARIOS = join(import.meta.dir, "..", "..", "..", "scenarios");

function configLines(): string[] {
  const lines = new Set<string>();
  for (const dir of readdirSync(SCENARIOS).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(SCENARIOS, dir)).filter((f) => f.endsWith(".cfg"));
    } catch {
      continue;
    }
    for (const f of files)
      for (const raw of readFileSync(join(SCENARIOS, dir, f), "utf8").split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("!") || line.includes("{{")) continue;
        lines.add(line);
        const [first, ...rest] = line.split(" ");
        if (first !== undefined && first.length > 3 && rest.length > 0)
          lines.add([first.slice(0, 3), ...rest].join(" "));
      }
  }
  return [...lines].slice(0, 1500);
}

function outcome(r: ReturnType<typeof matchLine>) {
  return r.ok
    ? { ok: true, syntax: r.spec.syntax, args: r.args, negated: r.negated, defaulted: r.defaulted }
    : { ok: false, error: r.error, progress: r.progress };
}

test("matching with the shared states gives the same result as with cold caches, in any order", () => {
  const table = routerCommandTable();
  const lines = configLines();
  expect(lines.length).toBeGreaterThan(300);
  for (const mode of ["config", "config-if"]) {
    const specs = table.compiled(mode);
    const warm = lines.map((l) => outcome(matchLine(specs, l)));
    const again = [...lines].reverse().map((l) => outcome(matchLine(specs, l)));
    again.reverse();
    let matched = 0;
    lines.forEach((l, i) => {
      const cold = outcome(matchLine([...specs], l));
      expect(warm[i], `${mode}: ${l}`).toEqual(cold);
      expect(again[i], `${mode}: ${l}`).toEqual(cold);
      if (cold.ok) matched++;
    });
    expect(matched).toBeGreaterThan(50);
  }
});
