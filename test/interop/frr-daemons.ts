// FRRouting daemons for the interop tests: zebra plus one routing daemon at a
// time in a namespace, each under its own pathspace (-N) so their sockets and
// pid files do not meet anyone else's, configured from text, queried through
// vtysh, and killed by pid when the test ends.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Netns } from "./host-tools.ts";

const FRR_LIB = "/usr/lib/frr";

export class FrrRouter {
  private readonly runDir: string;
  private readonly started: string[] = [];

  constructor(
    private readonly ns: Netns,
    /** Pathspace name (also the folder under /var/run/frr). */
    readonly pathspace: string,
    /** Where configs and logs go. */
    readonly dir: string,
  ) {
    this.runDir = `/var/run/frr/${pathspace}`;
  }

  static available(): boolean {
    return Bun.which("vtysh") !== null;
  }

  /** Starts a daemon (zebra first) with this configuration; it daemonizes once its vty is up. */
  async start(daemon: "zebra" | "ospfd" | "ripd" | "eigrpd", config: string): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o777 });
    mkdirSync(this.runDir, { recursive: true });
    await this.ns.must(["chown", "frr:frr", this.runDir]);
    const conf = join(this.dir, `${daemon}.conf`);
    writeFileSync(conf, config, { mode: 0o644 });
    await this.ns.must(
      [
        join(FRR_LIB, daemon),
        "-N",
        this.pathspace,
        "-f",
        conf,
        "--log",
        `file:${join(this.dir, `${daemon}.log`)}`,
        "-d",
        "-P",
        "0",
      ],
      10_000,
    );
    this.started.push(daemon);
  }

  /** Kills a daemon by its pid file. */
  stop(daemon: string): void {
    try {
      const pid = Number(readFileSync(join(this.runDir, `${daemon}.pid`), "utf8").trim());
      if (pid > 0) process.kill(pid, "SIGKILL");
    } catch {
      // not running
    }
  }

  /** Runs vtysh commands (each a -c) and returns the output. */
  async vtysh(...commands: string[]): Promise<string> {
    const r = await this.ns.exec(["vtysh", "-N", this.pathspace, ...commands.flatMap((c) => ["-c", c])], 10_000);
    if (r.code !== 0) throw new Error(`vtysh ${commands.join("; ")}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  }

  /** vtysh's JSON output of one show command. */
  async json<T>(command: string): Promise<T> {
    return JSON.parse(await this.vtysh(command)) as T;
  }

  /** Kills every daemon started and removes the run folder. */
  close(): void {
    for (const d of this.started) this.stop(d);
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
