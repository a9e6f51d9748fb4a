// What the interop tests need of the host: a reason to skip (not root, no
// /dev/net/tun, a tool missing), commands with a bounded wait, network
// namespaces the test creates and always removes, and polling with a deadline.

import { existsSync } from "node:fs";

/** Why the interop tests cannot run here, or null when they can. */
export function interopSkipReason(tools: readonly string[] = []): string | null {
  if (process.platform !== "linux") return "not Linux";
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root (TAPs and namespaces need root)";
  if (!existsSync("/dev/net/tun")) return "/dev/net/tun is missing";
  for (const tool of ["ip", ...tools])
    if (Bun.which(tool) === null && !existsSync(tool)) return `${tool} is not installed`;
  return null;
}

/** Prints why a test file is skipped (so a skip is never silent). */
export function reportSkip(file: string, reason: string | null): boolean {
  if (reason !== null) console.log(`${file}: skipped: ${reason}`);
  return reason !== null;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command, killing it after timeoutMs. */
export async function run(argv: string[], timeoutMs = 10_000): Promise<RunResult> {
  const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill(9), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs a command and throws with its output if it fails. */
export async function must(argv: string[], timeoutMs = 10_000): Promise<string> {
  const r = await run(argv, timeoutMs);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** A network namespace this test made; remove() deletes it and kills what runs in it. */
export class Netns {
  private constructor(readonly name: string) {}

  static async create(name: string): Promise<Netns> {
    await run(["ip", "netns", "del", name]); // a leftover of a killed run
    await must(["ip", "netns", "add", name]);
    const ns = new Netns(name);
    await ns.must(["ip", "link", "set", "lo", "up"]);
    return ns;
  }

  exec(argv: string[], timeoutMs?: number): Promise<RunResult> {
    return run(["ip", "netns", "exec", this.name, ...argv], timeoutMs);
  }

  must(argv: string[], timeoutMs?: number): Promise<string> {
    return must(["ip", "netns", "exec", this.name, ...argv], timeoutMs);
  }

  /** Starts a long-running process in the namespace (a daemon in the foreground). */
  spawn(argv: string[]): Bun.Subprocess {
    return Bun.spawn(["ip", "netns", "exec", this.name, ...argv], {
      stdout: "ignore",
      stderr: "pipe",
      stdin: "ignore",
    });
  }

  /** Kills every process left in the namespace, then deletes it. */
  async remove(): Promise<void> {
    const pids = await run(["ip", "netns", "pids", this.name]);
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
    await run(["ip", "netns", "del", this.name]);
  }
}

/** Calls `probe` until it returns a value (not undefined) or the deadline passes; the last error explains a timeout. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = (e as Error).message;
    }
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`);
    await Bun.sleep(100);
  }
}

/** A short unique suffix for names of TAPs and namespaces (Linux interface names are at most 15 characters). */
export function uniqueSuffix(): string {
  return `${process.pid % 100000}${Math.floor(performance.now()) % 100}`;
}
