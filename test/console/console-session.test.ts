// ConsoleSession on scenarios/basic-ping, inline (workers 0), virtual time
// moved by the test: commands, prompts through config modes, built-ins,
// syslog printing, a streamed ping, queueing and quitting.

import { afterEach, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import {
  type ConsoleIO,
  ConsoleSession,
  formatSyslog,
  lineCount,
  parseDuration,
} from "../../src/console/console-session.ts";
import { WallPacer } from "../../src/console/wall-pacer.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";

const SEC = 1e9;

/** Records everything written, with prompts and streamed chunks kept apart. */
class Recorder implements ConsoleIO {
  text = "";
  chunks: string[] = [];
  prompts: string[] = [];
  write(text: string): void {
    this.text += text;
    this.chunks.push(text);
  }
  prompt(prompt: string, _again?: boolean, typed = ""): void {
    this.text += prompt + typed;
    this.prompts.push(prompt);
  }
  /** Text written since the mark, and a new mark. */
  private mark = 0;
  take(): string {
    const t = this.text.slice(this.mark);
    this.mark = this.text.length;
    return t;
  }
}

let open: ConsoleSession[] = [];
afterEach(() => {
  for (const s of open) s.close();
  open = [];
});

async function session(opts: { echo?: boolean; pacer?: WallPacer } = {}) {
  const lab = await Lab.create(loadScenario("basic-ping").lab, { workers: 0, factories: deviceFactories });
  const io = new Recorder();
  const s = new ConsoleSession(lab, io, { echo: opts.echo ?? true, pacer: opts.pacer });
  open.push(s);
  return { lab, io, s };
}

describe("ConsoleSession", () => {
  test("starts on the first router, runs commands, follows prompts through config modes and prints syslog", async () => {
    const { lab, io, s } = await session();
    expect(s.device).toBe("R1");
    await s.start();
    expect(io.take()).toBe("R1#");

    // Boot: links come up at 1 ms; their syslog shows below the prompt, and the prompt comes back.
    await lab.runTo(2 * SEC);
    s.flushSyslog();
    const boot = io.take();
    expect(boot).toStartWith("\nR1: *Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from memory by console\n");
    expect(boot).toContain("R2: *Mar  1 00:00:00.001: %LINK-3-UPDOWN: Interface Serial0/0, changed state to up\n");
    expect(boot).toEndWith("R1#");
    s.flushSyslog();
    expect(io.take()).toBe(""); // nothing new, nothing printed

    expect(await s.handleLine("show ip interface brief")).toBe(true);
    const brief = io.take();
    expect(brief).toStartWith("show ip interface brief\nInterface ");
    expect(brief).toMatch(/Serial0\/0\s+10\.0\.12\.1\s+YES manual up\s+up/);
    expect(brief).toEndWith("R1#");

    await s.handleLine("attach R2");
    expect(s.device).toBe("R2");
    expect(io.take()).toBe("attach R2\nR2#");

    await s.handleLine("conf t");
    expect(io.take()).toBe("conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nR2(config)#");
    await s.handleLine("int s0/0");
    expect(io.take()).toBe("int s0/0\nR2(config-if)#");
    await s.handleLine("shutdown");
    await s.handleLine("end");
    const shut = io.take();
    expect(shut).toContain(
      "R2: *Mar  1 00:00:02.003: %LINK-5-UPDOWN: Interface Serial0/0, changed state to administratively down\n",
    );
    expect(shut).toContain("%LINEPROTO-5-UPDOWN: Line protocol on Interface Serial0/0, changed state to down\n");
    // R1 sees its side go down a moment later, while `end` runs.
    expect(shut).toMatch(
      /R2\(config-if\)#end\nR1: \*Mar {2}1 00:00:02\.00\d: %LINK-3-UPDOWN: Interface Serial0\/0, changed state to down\n.*R2#$/s,
    );
    expect(s.prompt).toBe("R2#");
    await lab.run(SEC);
    s.flushSyslog();
    expect(io.take()).toBe("");

    // `exit` in config mode goes to the device (back to exec), it does not leave the console.
    await s.handleLine("configure terminal");
    await s.handleLine("interface Serial0/0");
    expect(s.prompt).toBe("R2(config-if)#");
    expect(await s.handleLine("exit")).toBe(true);
    expect(s.prompt).toBe("R2(config)#");
    await s.handleLine("interface Serial0/0");
    await s.handleLine("no shutdown");
    await s.handleLine("end");
    expect(s.prompt).toBe("R2#");
    await lab.run(SEC);
    s.flushSyslog();
    expect(io.take()).toContain("R1: *Mar  1 00:00:03.");
    expect(s.closed).toBe(false);
  });

  test("ping output streams as it arrives", async () => {
    const { lab, io, s } = await session();
    await s.start(2 * SEC);
    io.take();
    io.chunks = [];
    await s.handleLine("attach R2");
    await s.handleLine("ping 10.0.12.1");
    const out = io.take();
    expect(out).toContain(
      "ping 10.0.12.1\nType escape sequence to abort.\nSending 5, 100-byte ICMP Echos to 10.0.12.1, timeout is 2 seconds:\n!!!!!\nSuccess rate is 100 percent (5/5)",
    );
    expect(out).toEndWith("R2#");
    // Each reply came as its own chunk, not all at the end.
    expect(io.chunks.filter((c) => c === "!").length).toBe(5);
    expect(lab.now).toBeGreaterThan(2 * SEC);
  });

  test("lines queue behind a running command and run in order", async () => {
    const { io, s } = await session();
    await s.start(2 * SEC);
    io.take();
    const a = s.handleLine("ping 10.0.23.3 repeat 3");
    const b = s.handleLine("show clock");
    const c = s.handleLine("attach R3");
    expect(s.busy).toBe(true);
    expect(await Promise.all([a, b, c])).toEqual([true, true, true]);
    const out = io.take();
    expect(out.indexOf("Success rate is 100 percent (3/3)")).toBeGreaterThan(0);
    expect(out.indexOf("R1#show clock\n*00:00:0")).toBeGreaterThan(out.indexOf("Success rate"));
    expect(out).toEndWith("R1#attach R3\nR3#");
    expect(s.busy).toBe(false);
  });

  test("built-ins: devices, attach errors, wait, empty lines", async () => {
    const { lab, io, s } = await session();
    await s.start();
    io.take();
    await s.handleLine("devices");
    const list = io.take();
    expect(list).toContain("Device  Kind    Interfaces\n");
    expect(list).toMatch(/R1\s+router\s+Serial0\/0.*\(attached\)\n/);
    expect(list).toMatch(/R3\s+router\s+Serial0\/0/);
    await s.handleLine("attach R9");
    expect(io.take()).toBe("attach R9\n% Unknown device 'R9'. Devices: R1, R2, R3\nR1#");
    await s.handleLine("attach r3");
    expect(s.device).toBe("R3");
    io.take();
    await s.handleLine("");
    expect(io.take()).toBe("\nR3#");
    await s.handleLine("wait 1.5s");
    expect(lab.now).toBe(1.5 * SEC);
    expect(io.take()).toContain("R3: *Mar  1 00:00:00.001: %LINK-3-UPDOWN");
    await s.handleLine("wait soon");
    expect(io.take()).toContain("% wait needs a duration");
  });

  test("prompts are kept per device across attach", async () => {
    const { io, s } = await session();
    await s.start(SEC);
    await s.handleLine("conf t");
    expect(s.prompt).toBe("R1(config)#");
    await s.handleLine("attach R2");
    expect(s.prompt).toBe("R2#");
    await s.handleLine("attach R1");
    expect(s.prompt).toBe("R1(config)#");
    await s.handleLine("end");
    expect(io.take()).toMatch(
      /R1\(config\)#attach R2\nR2#attach R1\nR1\(config\)#end\nR1: .*%SYS-5-CONFIG_I: Configured from console by console\nR1#$/,
    );
  });

  test("quit closes the lab; exit at an exec prompt goes to the lab prompt; later lines are ignored", async () => {
    const one = await session();
    await one.s.start();
    expect(await one.s.handleLine("quit")).toBe(false);
    expect(one.s.closed).toBe(true);
    await one.s.done;
    expect(await one.s.handleLine("show clock")).toBe(false);

    const two = await session();
    await two.s.start();
    expect(await two.s.handleLine("exit")).toBe(true);
    expect(two.s.closed).toBe(false);
    expect(two.s.device).toBeNull();
    expect(two.io.take()).toEndWith("R1#exit\nwanlab>");
    await two.s.handleLine("show clock");
    expect(two.io.take()).toContain("% Unknown lab command 'show'");
    await two.s.handleLine("attach R2");
    expect(two.s.prompt).toBe("R2#");
    await two.s.handleLine("exit");
    expect(await two.s.handleLine("exit")).toBe(false);
    expect(two.s.closed).toBe(true);

    const three = await session();
    await three.s.start();
    const queued = three.s.handleLine("show clock");
    three.io.take();
    await three.s.finish();
    expect(await queued).toBe(true);
    // Syslog logged at the same instant (the routers' boot) comes out before the command's output.
    expect(three.io.take()).toMatch(/^show clock\n(R\d: .*\n)*\*00:00:00\.00\d UTC Mon Mar 1 1993\nR1#\n$/);
    expect(three.s.closed).toBe(true);
  });

  test("leaving with unsaved configuration asks first; save writes memory everywhere", async () => {
    const { io, s } = await session();
    await s.start(SEC);
    for (const line of ["conf t", "hostname Edge", "end", "exit"]) await s.handleLine(line);
    expect(s.prompt).toBe("wanlab>");
    io.take();
    expect(await s.unsavedDevices()).toEqual(["R1"]);
    expect(await s.handleLine("quit")).toBe(true);
    expect(io.take()).toBe(
      "quit\nConfiguration modified since the last save on R1.\nLeave the lab without saving? [yes/no]: ",
    );
    expect(await s.handleLine("no")).toBe(true);
    expect(s.closed).toBe(false);
    expect(io.take()).toBe("no\nwanlab>");
    await s.handleLine("save");
    expect(io.take()).toBe("save\nR1: [OK]\nR2: [OK]\nR3: [OK]\nwanlab>");
    expect(await s.unsavedDevices()).toEqual([]);
    expect(await s.handleLine("quit")).toBe(false);
    expect(s.closed).toBe(true);
  });

  test("the lab prompt: link down and up, unknown commands, help and completion", async () => {
    const { io, s } = await session();
    await s.start(SEC);
    await s.handleLine("exit");
    io.take();
    await s.handleLine("link R1-R2 down");
    expect(io.take()).toContain("R1: *Mar  1 00:00:01.0");
    await s.handleLine("link nowhere up");
    expect(io.take()).toContain("% Unknown link 'nowhere'. Links: R1-R2, R2-R3");
    await s.help("");
    expect(io.take()).toContain("  attach   Attach the console to a device (attach R1)\n");
    expect(await s.complete("sa")).toBe("save ");
    expect(await s.complete("xx")).toBe("xx");
  });

  test("? and Tab ask the attached device; Ctrl-C leaves config mode and logs CONFIG_I", async () => {
    const { io, s } = await session();
    await s.start(SEC);
    io.take();
    await s.help("sh ip ro");
    expect(io.take()).toBe("route  \n\nR1#sh ip ro");
    expect(await s.complete("sh ip int")).toBe("sh ip interface ");
    expect(await s.complete("s")).toBe("show ");
    await s.handleLine("conf t");
    await s.handleLine("interface Serial0/0");
    io.take();
    await s.interrupt();
    expect(s.prompt).toBe("R1#");
    expect(io.take()).toMatch(/%SYS-5-CONFIG_I: Configured from console by console\n.*R1#$/s);
    await s.handleLine("conf t");
    await s.ctrlZ("hostname Z1");
    expect(s.prompt).toBe("Z1#");
  });

  test("tick follows the wall-clock pacer, never past it, and carries on after a command got ahead", async () => {
    let wall = 0;
    const pacer = new WallPacer(() => wall);
    const { lab, s } = await session({ pacer });
    await s.start();
    wall = 50e6;
    await s.tick();
    expect(lab.now).toBe(50e6);
    await s.tick();
    expect(lab.now).toBe(50e6);
    // A failing ping takes 2 s of virtual time per probe but no wall time: the lab gets ahead.
    for (const line of ["attach R2", "conf t", "int s0/0", "shutdown", "end", "attach R1"]) await s.handleLine(line);
    await s.handleLine("ping 10.0.12.2 repeat 2");
    const after = lab.now;
    expect(after).toBeGreaterThan(4 * SEC);
    wall += 10e6;
    await s.tick();
    expect(lab.now).toBe(after + 10e6);
    // A big wall jump is taken in steps of at most 100 ms.
    wall += 5 * SEC;
    await s.tick();
    expect(lab.now).toBe(after + 110e6);
  });

  test("ticks skip while a command is queued; nothing overlaps", async () => {
    let wall = 0;
    const { lab, s } = await session({ pacer: new WallPacer(() => wall) });
    await s.start();
    wall = SEC;
    const cmd = s.handleLine("show ip route");
    const t = s.tick(); // skipped: a line is queued
    await Promise.all([cmd, t]);
    expect(lab.now).toBeLessThan(10e6);
  });
});

describe("console line", () => {
  test("show history lists what was typed at exec prompts, not dialog answers; config mode keeps its own", async () => {
    const { io, s } = await session();
    await s.start(2 * SEC);
    for (const l of ["show clock", "", "conf t", "hostname R1", "do show history", "end"]) await s.handleLine(l);
    expect(io.take()).toContain("R1(config)#do show history\n  hostname R1\n  do show history\nR1(config)#");
    await s.handleLine("copy running-config startup-config");
    await s.handleLine(""); // Destination filename [startup-config]?
    await s.handleLine("show history");
    expect(io.take()).toEndWith(
      "R1#show history\n  show clock\n  conf t\n  copy running-config startup-config\n  show history\nR1#",
    );
  });

  test("terminal monitor: debug ip icmp lines reach the console, on a line of their own", async () => {
    const { io, s } = await session();
    await s.start(2 * SEC);
    await s.handleLine("debug ip icmp");
    await s.handleLine("ping 10.0.23.3 repeat 2");
    expect(io.take()).not.toContain("ICMP: echo reply rcvd");
    await s.handleLine("terminal monitor");
    await s.handleLine("ping 10.0.23.3 repeat 100");
    const out = io.take();
    const first = out.indexOf("R1: *Mar  1 00:00:0");
    expect(out.slice(first)).toMatch(
      /^R1: \*Mar {2}1 [\d:.]+: ICMP: echo reply rcvd, src 10\.0\.23\.3, dst 10\.0\.12\.1/,
    );
    // On a line of their own, never glued to a line of ! (inline, the ping runs in one epoch: they follow it).
    expect(out[first - 1]).toBe("\n");
    expect(out.match(/ICMP: echo reply rcvd/g)?.length).toBe(100);
    await s.handleLine("terminal no monitor");
    await s.handleLine("ping 10.0.23.3 repeat 2");
    expect(io.take()).not.toContain("ICMP:");
  });

  test("on a terminal, output a command prints at once goes through the pager at the device's terminal length", async () => {
    const { io, s } = await session();
    const paged: { lines: number; length: number }[] = [];
    const pager = io as Recorder & { page(text: string, length: number): Promise<boolean> };
    pager.page = async (text, length) => {
      paged.push({ lines: lineCount(text), length });
      io.write(text.split("\n").slice(0, 3).join("\n"));
      return false;
    };
    await s.start(2 * SEC);
    await s.handleLine("show running-config");
    expect(paged).toHaveLength(1);
    expect(paged[0]!.length).toBe(24);
    expect(paged[0]!.lines).toBeGreaterThan(24);
    await s.handleLine("show clock"); // one line: written as it is
    expect(paged).toHaveLength(1);
    await s.handleLine("ping 10.0.23.3 repeat 200"); // streamed !: never a screenful at once
    expect(paged).toHaveLength(1);
    await s.handleLine("terminal length 0");
    await s.handleLine("show running-config");
    expect(paged).toHaveLength(1);
    expect(io.take()).toContain("\nend\n");
  });
});

describe("helpers", () => {
  test("lineCount", () => {
    expect(lineCount("")).toBe(0);
    expect(lineCount("a\nb\n")).toBe(2);
    expect(lineCount("a\nb")).toBe(2);
  });
  test("parseDuration", () => {
    expect(parseDuration("500ms")).toBe(500e6);
    expect(parseDuration("30s")).toBe(30e9);
    expect(parseDuration("2m")).toBe(120e9);
    expect(parseDuration("3")).toBe(3e9);
    expect(parseDuration("x")).toBeUndefined();
  });
  test("formatSyslog", () => {
    expect(formatSyslog(1_000_000, "R1: %LINK-3-UPDOWN: Interface Serial0/0, changed state to up")).toBe(
      "R1: *Mar  1 00:00:00.001: %LINK-3-UPDOWN: Interface Serial0/0, changed state to up",
    );
    // The device's own stamp (service timestamps log uptime), or none (no service timestamps log).
    expect(formatSyslog(1_000_000, "R1: %SYS-5-CONFIG_I: Configured from console by console", "00:00:05")).toBe(
      "R1: 00:00:05: %SYS-5-CONFIG_I: Configured from console by console",
    );
    expect(formatSyslog(1_000_000, "R1: %SYS-5-CONFIG_I: Configured from console by console", null)).toBe(
      "R1: %SYS-5-CONFIG_I: Configured from console by console",
    );
  });
});
