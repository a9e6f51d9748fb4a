// The CLI session's dialogs (a handler asks, the next line answers) and the
// report of leaving configuration mode (IOS logs %SYS-5-CONFIG_I there).

import { describe, expect, test } from "bun:test";
import { CliSession, CommandTable } from "../../../src/config/cli/index.ts";

interface Dev {
  hostname: string;
  log: string[];
}

function session(): { s: CliSession<Dev>; dev: Dev } {
  const t = new CommandTable<Dev>();
  t.add("exec", {
    syntax: "ask",
    handler: (_a, ctx) => {
      ctx.session.ask("Name [x]: ", (name) => {
        const n = name.trim() === "" ? "x" : name.trim();
        ctx.session.ask("Really? [confirm]", (yes) => (yes.trim() === "" || yes.trim() === "y" ? `hello ${n}` : ""));
      });
      return "Starting";
    },
  });
  t.add("config", { syntax: "hostname WORD", handler: (a, ctx) => void (ctx.device.hostname = String(a.word)) });
  const dev: Dev = { hostname: "R1", log: [] };
  const s = new CliSession(t, {
    device: dev,
    hostname: () => dev.hostname,
    privileged: true,
    onConfigEnd: () => dev.log.push("CONFIG_I"),
  });
  return { s, dev };
}

describe("dialogs", () => {
  test("a question takes the next line, chains, and the prompt is the question meanwhile", () => {
    const { s } = session();
    const first = s.execute("ask");
    expect(first).toEqual({ output: "Starting\n", prompt: "Name [x]: " });
    expect(s.pendingQuestion).toBe("Name [x]: ");
    // The answer is not parsed as a command.
    expect(s.execute("show version")).toEqual({ output: "", prompt: "Really? [confirm]" });
    expect(s.execute("")).toEqual({ output: "hello show version\n", prompt: "R1#" });
    expect(s.pendingQuestion).toBeNull();
  });
  test("defaults on Enter, refusal, cancel", () => {
    const { s } = session();
    s.execute("ask");
    s.execute("");
    expect(s.execute("n")).toEqual({ output: "", prompt: "R1#" });
    s.execute("ask");
    s.cancelQuestion();
    expect(s.prompt).toBe("R1#");
    expect(s.execute("ask").prompt).toBe("Name [x]: ");
  });
  test("a config file answers no question", () => {
    const { s } = session();
    expect(s.loadConfig("hostname R9\nend\n")).toEqual([]);
    expect(s.pendingQuestion).toBeNull();
  });
});

describe("leaving configuration mode", () => {
  test("end, exit and Ctrl-Z report once; loading a file does not", () => {
    const { s, dev } = session();
    s.loadConfig("hostname R2\nend\n");
    expect(dev.log).toEqual([]);
    s.execute("configure terminal");
    s.execute("hostname R3");
    expect(dev.log).toEqual([]);
    s.execute("end");
    expect(dev.log).toEqual(["CONFIG_I"]);
    s.execute("configure terminal");
    s.execute("exit");
    expect(dev.log).toEqual(["CONFIG_I", "CONFIG_I"]);
    s.execute("configure terminal");
    s.execute("hostname R4\x1a");
    expect(dev.log.length).toBe(3);
    s.execute("configure terminal");
    s.end(); // from outside a line (the console's Ctrl-C)
    expect(dev.log.length).toBe(4);
    s.execute("show version");
    expect(dev.log.length).toBe(4);
  });
});
