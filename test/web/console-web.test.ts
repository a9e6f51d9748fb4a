// `bun run console <scenario> --web`: the terminal console and the dashboard
// on one lab. The console prints the dashboard's URL; a link taken down
// through the API shows in the console's syslog and in `show interfaces` typed
// at the console; quit stops both.

import { expect, test } from "bun:test";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "..", "src", "cli", "console.ts");

test("console --web serves the console's own lab", async () => {
  const proc = Bun.spawn([process.execPath, CLI, "basic-ping", "--web", "--workers", "0", "--boot", "1s"], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = proc.stdout.getReader();
  let out = "";
  const waitFor = async (re: RegExp): Promise<RegExpExecArray> => {
    const end = performance.now() + 15_000;
    for (;;) {
      const m = re.exec(out);
      if (m !== null) return m;
      if (performance.now() > end) throw new Error(`never printed ${re}; printed:\n${out}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`exited before ${re}; printed:\n${out}`);
      out += new TextDecoder().decode(value);
    }
  };
  try {
    const [, base, token] = await waitFor(/wanlab dashboard: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]{32})\n/);
    await waitFor(/R1#$/m);
    const auth = { authorization: `Bearer ${token}` };
    const lab = (await (await fetch(`${base}/api/lab`, { headers: auth })).json()) as { topology: { name: string } };
    expect(lab.topology.name).toBe("basic-ping");
    const down = await fetch(`${base}/api/links/R1-R2/state`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ state: "down" }),
    });
    expect(down.status).toBe(200);
    proc.stdin.write("show interfaces Serial0/0\n");
    await proc.stdin.flush();
    await waitFor(/Serial0\/0 is down, line protocol is down/);
    expect(out).toContain("%LINEPROTO-5-UPDOWN: Line protocol on Interface Serial0/0, changed state to down");
    proc.stdin.write("quit\n");
    await proc.stdin.flush();
    expect(await proc.exited).toBe(0);
    // The dashboard went with the console.
    expect(
      await fetch(`${base}/api/lab`, { headers: auth }).then(
        () => "answered",
        () => "closed",
      ),
    ).toBe("closed");
  } finally {
    proc.kill();
  }
}, 30_000);

test("--listen and --port need --web", async () => {
  const proc = Bun.spawn([process.execPath, CLI, "basic-ping", "--port", "8080"], { stdout: "pipe", stderr: "pipe" });
  expect(await proc.exited).toBe(2);
  expect(await new Response(proc.stderr).text()).toContain("--listen and --port go with --web");
});
