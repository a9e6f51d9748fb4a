// A device kind that does not look like IOS at its prompt: the table's prompt
// function decides the prompt per mode (undefined keeps IOS's), and a table
// without IOS's exec built-ins has no configure terminal, enable or disable
// (exit and logout stay; config mode stays for loading a config file).
import { describe, expect, test } from "bun:test";
import { CliSession, CommandTable } from "../../../src/config/cli/modes.ts";

describe("prompt hook and exec built-ins", () => {
  test("the prompt function replaces IOS's prompt where it returns text", () => {
    const table = new CommandTable<object>({ prompt: (_h, mode) => (mode.kind === "exec" ? "C:\\>" : undefined) });
    const session = new CliSession(table, { device: {}, hostname: () => "H1", privileged: true });
    expect(session.prompt).toBe("C:\\>");
    expect(session.execute("configure terminal").prompt).toBe("H1(config)#");
    expect(session.execute("end").prompt).toBe("C:\\>");
  });

  test("without IOS's exec built-ins, configure terminal, enable and disable are refused; exit works", () => {
    let set = "";
    const table = new CommandTable<object>({ prompt: (h) => `root@${h}:~#`, iosExec: false });
    table.add("config", { syntax: "set WORD:v", handler: (a) => void (set = String(a.v)) });
    const session = new CliSession(table, { device: {}, hostname: () => "H2", privileged: true });
    expect(session.prompt).toBe("root@H2:~#");
    for (const line of ["configure terminal", "enable", "disable"])
      expect(session.execute(line).output).toContain("% Invalid input");
    expect(session.loadConfig("set x")).toEqual([]);
    expect(set).toBe("x");
    session.execute("exit");
    expect(session.closed).toBe(true);
  });
});
