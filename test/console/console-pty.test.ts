// The console as a user at a terminal sees it: spawned under a pseudo-terminal
// (pty-console.ts), keys sent raw, the screen read through a terminal
// emulator. `?` at three depths, Tab completion, Ctrl-C aborting a long ping
// without leaving the lab, Ctrl-Z from config-if and no double echo after it,
// `exit` to the lab prompt, `wr`, `copy run start`'s question, `terminal
// monitor` bringing `debug ip icmp` output while a ping runs, and the
// --More-- pager.

import { afterEach, describe, expect, test } from "bun:test";
import { PtyConsole } from "./pty-console.ts";

let consoles: PtyConsole[] = [];
afterEach(() => {
  for (const c of consoles) c.kill();
  consoles = [];
});

async function open(): Promise<PtyConsole> {
  const c = new PtyConsole("basic-ping", ["--workers", "1"]);
  consoles.push(c);
  await c.waitFor(/^R1#$/m);
  return c;
}

describe("console on a terminal", () => {
  test("? at three depths answers at once and redisplays the line; Tab completes a unique prefix", async () => {
    const c = await open();
    c.send("show ?");
    let s = await c.waitFor(/R1#show \?\n[\s\S]*\n\nR1#show $/);
    expect(s).toContain("\n  running-config  ");
    expect(s).toMatch(/\n {2}ip {14}IP information\n/);
    c.send("ip ?");
    s = await c.waitFor(/R1#show ip \?\n[\s\S]*\n\nR1#show ip $/);
    expect(s).toMatch(/\n {2}route +IP routing table\n/);
    c.send("ro?");
    s = await c.waitFor(/R1#show ip ro\?\nroute {2}\n\nR1#show ip ro$/);
    // Nothing was sent to the parser: no error, and the line is still being typed.
    expect(s).not.toContain("% ");
    c.send("\u0015sh ip int\t");
    await c.waitFor(/R1#sh ip interface $/);
    c.send("br\r");
    s = await c.waitFor(/Serial0\/0 +10\.0\.12\.1 +YES manual up +up\n[\s\S]*R1#$/);
    // Ambiguous or unknown: the line stays as it was.
    c.send("xyz\t");
    await c.waitFor(/R1#xyz$/);
    c.send("\u0015");
    await c.waitFor(/R1#$/);
    expect(c.raw).toContain("\u0007");
  }, 30_000);

  test("Ctrl-C stops a long ping with its summary and the lab goes on", async () => {
    const c = await open();
    c.send("ping 10.0.23.3 repeat 100000\r");
    await c.waitFor(/!{70}\n!{70}/);
    c.send("\u0003");
    const s = await c.waitFor(/Success rate is \d+ percent \((\d+)\/(\d+)\)[^\n]*\nR1#$/);
    const m = /Success rate is \d+ percent \((\d+)\/(\d+)\)/.exec(s)!;
    expect(Number(m[2])).toBeGreaterThan(140);
    expect(Number(m[2])).toBeLessThan(100000);
    c.send("show clock\r");
    await c.waitFor(/R1#show clock\n\*[\d:.]+ UTC Mon Mar 1 1993\nR1#$/);
  }, 30_000);

  test("Ctrl-Z from config-if ends config mode once; later lines echo once; exit goes to wanlab>", async () => {
    const c = await open();
    c.send("conf t\r");
    await c.waitFor(/R1\(config\)#$/);
    c.send("int s0/0\r");
    await c.waitFor(/R1\(config-if\)#$/);
    c.send("\u001a");
    let s = await c.waitFor(/R1\(config-if\)#\^Z\n[\s\S]*R1#$/);
    expect(s).toContain("%SYS-5-CONFIG_I: Configured from console by console");
    c.send("show clock\r");
    s = await c.waitFor(/R1#show clock\n\*[\d:.]+ UTC Mon Mar 1 1993\nR1#$/);
    expect(s.match(/show clock/g)?.length).toBe(1);
    c.send("exit\r");
    await c.waitFor(/R1#exit\nwanlab>$/);
    c.send("attach R2\r");
    await c.waitFor(/wanlab>attach R2\nR2#$/);
    c.send("exit\r");
    await c.waitFor(/R2#exit\nwanlab>$/);
    c.send("quit\r");
    expect(await c.exitCode).toBe(0);
  }, 30_000);

  test("wr saves; leaving asks when a change is not saved", async () => {
    const c = await open();
    c.send("conf t\rhostname Edge\rend\r");
    await c.waitFor(/Edge#$/);
    c.send("exit\rquit\r");
    await c.waitFor(
      /Configuration modified since the last save on R1\.\nLeave the lab without saving\? \[yes\/no\]: $/,
    );
    c.send("no\r");
    await c.waitFor(/\[yes\/no\]: no\nwanlab>$/);
    c.send("attach R1\rwr\r");
    await c.waitFor(/Edge#wr\nBuilding configuration\.\.\.\n\[OK\]\nEdge#$/);
    c.send("exit\rquit\r");
    expect(await c.exitCode).toBe(0);
  }, 30_000);

  test("ping with no target runs the extended dialog: defaults on Enter, then a size sweep", async () => {
    const c = await open();
    const answer = async (question: RegExp, text: string): Promise<void> => {
      await c.waitFor(question);
      c.send(`${text}\r`);
    };
    c.send("ping\r");
    await answer(/Protocol \[ip\]: $/, "");
    await answer(/Target IP address: $/, "10.0.23.3");
    await answer(/Repeat count \[5\]: $/, "");
    await answer(/Datagram size \[100\]: $/, "");
    await answer(/Timeout in seconds \[2\]: $/, "");
    await answer(/Extended commands \[n\]: $/, "");
    await answer(/Sweep range of sizes \[n\]: $/, "");
    let s = await c.waitFor(/Success rate is \d+ percent \(\d\/5\)[^\n]*\nR1#$/);
    expect(s).toContain("Sending 5, 100-byte ICMP Echos to 10.0.23.3, timeout is 2 seconds:");
    // Again with a sweep of three sizes: 5 repeats per size, 15 echoes in all.
    c.send("ping\r");
    await answer(/Protocol \[ip\]: $/, "");
    await answer(/Target IP address: $/, "10.0.23.3");
    await answer(/Repeat count \[5\]: $/, "");
    await answer(/Datagram size \[100\]: $/, "");
    await answer(/Timeout in seconds \[2\]: $/, "");
    await answer(/Extended commands \[n\]: $/, "");
    await answer(/Sweep range of sizes \[n\]: $/, "y");
    await answer(/Sweep min size \[36\]: $/, "100");
    await answer(/Sweep max size \[18024\]: $/, "102");
    await answer(/Sweep interval \[1\]: $/, "");
    s = await c.waitFor(/Success rate is \d+ percent \(\d+\/15\)[^\n]*\nR1#$/);
    expect(s).toContain("Sending 15, [100..102]-byte ICMP Echos to 10.0.23.3, timeout is 2 seconds:");
  }, 30_000);

  test("copy run start asks for the destination filename and Enter takes the default", async () => {
    const c = await open();
    c.send("copy run start\r");
    await c.waitFor(/R1#copy run start\nDestination filename \[startup-config\]\? $/);
    c.send("\r");
    await c.waitFor(/Destination filename \[startup-config\]\? \nBuilding configuration\.\.\.\n\[OK\]\nR1#$/);
    // Saved: leaving asks nothing.
    c.send("exit\rquit\r");
    expect(await c.exitCode).toBe(0);
  }, 30_000);

  test("terminal monitor shows debug ip icmp at the console while a ping runs; terminal no monitor stops it", async () => {
    const c = await open();
    c.send("debug ip icmp\r");
    await c.waitFor(/ICMP packet debugging is on\nR1#$/);
    c.send("ping 10.0.23.3 repeat 3\r");
    let s = await c.waitFor(/Success rate is 100 percent \(3\/3\)[^\n]*\nR1#$/);
    expect(s).not.toContain("ICMP: echo reply rcvd");
    c.send("terminal monitor\r");
    await c.waitFor(/R1#terminal monitor\nR1#$/);
    c.send("ping 10.0.23.3 repeat 500\r");
    s = await c.waitFor(/Success rate is 100 percent \(500\/500\)[^\n]*\nR1#$/);
    const run = s.slice(s.lastIndexOf("R1#ping 10.0.23.3 repeat 500"));
    const debug = run.split("\n").filter((l) => l.includes("ICMP: echo reply rcvd"));
    expect(debug.length).toBe(500);
    // Each on a line of its own, as the console prints syslog: device, timestamp, message.
    for (const l of debug)
      expect(l).toMatch(
        /^R1: \*Mar {2}1 [\d:.]+: ICMP: echo reply rcvd, src 10\.0\.23\.3, dst 10\.0\.12\.1, topology BASE/,
      );
    // While the ping runs: the first ones come before its last line of !.
    const lines = run.split("\n");
    const firstDebug = lines.findIndex((l) => l.includes("ICMP: echo reply rcvd"));
    const lastBang = lines.findLastIndex((l) => /^!+$/.test(l));
    expect(firstDebug).toBeGreaterThan(0);
    expect(firstDebug).toBeLessThan(lastBang);
    c.send("terminal no monitor\r");
    await c.waitFor(/R1#terminal no monitor\nR1#$/);
    c.send("ping 10.0.23.3 repeat 3\r");
    s = await c.waitFor(/Success rate is 100 percent \(3\/3\)[^\n]*\nR1#$/);
    expect(s.slice(s.lastIndexOf("R1#ping 10.0.23.3 repeat 3"))).not.toContain("ICMP:");
  }, 60_000);

  test("--More-- at 24 lines: space shows a page, Enter a line, q stops; terminal length 0 pages no more", async () => {
    const c = await open();
    // A long configuration: 40 static routes.
    let routes = "conf t\r";
    for (let i = 1; i <= 40; i++) routes += `ip route 10.${i}.0.0 255.255.0.0 Null0\r`;
    c.send(`${routes}end\r`);
    await c.waitFor(/%SYS-5-CONFIG_I: Configured from console by console\nR1#$/);
    c.send("show running-config\r");
    let s = await c.waitFor(/ --More-- $/);
    let out = s.slice(s.lastIndexOf("R1#show running-config\n") + "R1#show running-config\n".length).split("\n");
    // 23 lines of output, then the pager's prompt on the 24th.
    expect(out).toHaveLength(24);
    expect(out[0]).toBe("Building configuration...");
    expect(out[23]).toBe(" --More-- ");
    c.send(" ");
    // (The screen still ends in --More-- until the next page is drawn: wait for the page itself.)
    s = await c.waitFor(
      (t: string) =>
        t.endsWith(" --More-- ") && t.slice(t.lastIndexOf("R1#show running-config\n")).split("\n").length >= 1 + 46 + 1,
    );
    out = s.slice(s.lastIndexOf("R1#show running-config\n")).split("\n");
    expect(out).toHaveLength(1 + 46 + 1);
    c.send("\r");
    s = await c.waitFor(
      (t: string) => t.slice(t.lastIndexOf("R1#show running-config\n")).split("\n").length === 1 + 47 + 1,
    );
    c.send("q");
    s = await c.waitFor(/\nR1#$/);
    out = s.slice(s.lastIndexOf("R1#show running-config\n")).split("\n");
    // The pager's prompt is gone, the rest of the output was dropped, the prompt follows the last line shown.
    expect(out).toHaveLength(1 + 47 + 1);
    expect(s).not.toContain("--More--");
    expect(out.at(-1)).toBe("R1#");
    expect(s).not.toMatch(/\nend\n/);
    c.send("terminal length 0\rshow running-config\r");
    s = await c.waitFor(/\nend\n\nR1#$/);
    expect(s).not.toContain("--More--");
  }, 60_000);
});
