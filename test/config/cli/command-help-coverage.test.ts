// Every word `?` can show has a help text: the test walks the grammar of every
// device kind's command table (each `...CommandTable()` exported under
// src/config, so a new device kind is walked without touching this test), in
// every mode, with the `no` and `default` forms, and fails naming each command
// word that lacks text. A command added later fails here until its words get
// help (src/config/router/command-help.ts, or the spec's own `help`).

import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { contextHelp, grammarTokens } from "../../../src/config/cli/help.ts";
import { CommandTable } from "../../../src/config/cli/modes.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";

const SRC = join(import.meta.dir, "..", "..", "..", "src", "config");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every command table a device kind is built from: `name` is the builder's file and export. */
async function commandTables(): Promise<{ name: string; table: CommandTable<unknown> }[]> {
  const out: { name: string; table: CommandTable<unknown> }[] = [];
  for (const file of sourceFiles(SRC)) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (!/^[a-z]\w*CommandTable$/.test(name) || typeof value !== "function" || value.length !== 0) continue;
      const table = (value as () => unknown)();
      if (table instanceof CommandTable) out.push({ name: `${relative(SRC, file)} ${name}()`, table });
    }
  }
  return out;
}

describe("help texts", () => {
  test("the router and host tables are found", async () => {
    const names = (await commandTables()).map((t) => t.name);
    expect(names).toContain("router/router-commands.ts routerCommandTable()");
    expect(names).toContain("router/host-commands.ts hostCommandTable()");
  });

  test("every word of every command of every mode has help", async () => {
    const missing: string[] = [];
    for (const { name, table } of await commandTables()) {
      const modes = table.modeIds().map((id) => ({ id, specs: table.compiled(id) }));
      const seen = new Set<string>();
      for (const t of grammarTokens(table, modes)) {
        if (t.help !== undefined && t.help.trim() !== "") continue;
        const where = `${name}: mode ${t.mode}: "${t.key}"`;
        if (seen.has(where)) continue;
        seen.add(where);
        missing.push(`${where} (in "${t.syntax}")`);
      }
    }
    if (missing.length > 0)
      throw new Error(
        `${missing.length} command words have no ? help text. Add them to src/config/router/command-help.ts ` +
          `(keyed by mode and by the command's leading keywords, then the word or <argument>):\n  ${missing.join("\n  ")}`,
      );
  });

  test("? shows the texts: show ip ? lists route, interface and access-lists with IOS's words", () => {
    const table = routerCommandTable();
    const help = contextHelp(
      {
        table,
        mode: "exec",
        exec: true,
        specs: table.compiled("exec"),
        execSpecs: table.compiled("exec"),
        promptLength: 3,
      },
      "show ip ",
    );
    expect(help).toMatch(/\n {2}route +IP routing table\n/);
    expect(help).toMatch(/\n {2}interface +IP interface status and configuration\n/);
    // A word inside a choice is named by the keywords before it: `show {access-lists | ip access-lists}`.
    expect(help).toMatch(/^ {2}access-lists +List IP access lists\n/);
    // No row with an empty help column (`<cr>` has none on IOS either).
    expect(help.split("\n").filter((l) => /^ {2}\S+$/.test(l) && l.trim() !== "<cr>")).toEqual([]);
  });
});
