// The console CLI end to end on piped input: the transcript echoes each line
// after its prompt, and the console leaves with 0 at `quit` and at end of input.

import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "..", "src", "cli", "console.ts");

async function runConsole(input: string, ...args: string[]) {
  const proc = Bun.spawn(["bun", CLI, "basic-ping", ...args], {
    stdin: new TextEncoder().encode(input),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { out, err, code };
}

describe("bun run console", () => {
  test("piped lines: show, attach, ping, quit", async () => {
    const { out, code } = await runConsole("show ip route\nattach R2\nping 10.0.12.1\nquit\n", "--workers", "0");
    expect(code).toBe(0);
    expect(out).toContain("R1: *Mar  1 00:00:00.001: %LINK-3-UPDOWN: Interface Serial0/0, changed state to up\n");
    expect(out).toContain("R1#show ip route\n");
    expect(out).toContain("Gateway of last resort is 10.0.12.2 to network 0.0.0.0");
    expect(out).toContain("R1#attach R2\nR2#ping 10.0.12.1\n");
    expect(out).toContain("!!!!!\nSuccess rate is 100 percent (5/5)");
    expect(out).toEndWith("R2#quit\n");
    expect(out).not.toEndWith("\n\n");
  }, 20_000);

  test("end of input leaves too (lab on a Worker)", async () => {
    const { out, code } = await runConsole(
      "conf t\nint s0/0\nshutdown\nend\nshow ip interface brief",
      "--workers",
      "1",
    );
    expect(code).toBe(0);
    expect(out).toContain("R1(config-if)#shutdown\n");
    expect(out).toContain("%LINK-5-UPDOWN: Interface Serial0/0, changed state to administratively down");
    expect(out).toMatch(/Serial0\/0\s+10\.0\.12\.1\s+YES manual administratively down down/);
    expect(out).toEndWith("R1#\n");
  }, 20_000);
});
