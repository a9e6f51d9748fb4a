// Runs one measurement of a benchmark in a fresh process (`SCRIPT BENCH
// --single --json FLAGS...`) so that its peak RSS is its own, and reads back
// its one result. With `progress` the child's stderr stays the terminal's (its
// progress bar shows); otherwise it is captured for the failure message.

import { spawnSync } from "node:child_process";

export type ChildRun<T> = { ok: true; result: T } | { ok: false; status: string; stderr: string };

/** The result of `script bench --single --json` with `flags` (name → value, without the dashes). */
export function benchInChild<T>(
  script: string,
  bench: string,
  flags: Readonly<Record<string, string | number>>,
  progress = false,
): ChildRun<T> {
  const argv = [script, bench, "--single", "--json"];
  for (const [name, value] of Object.entries(flags)) argv.push(`--${name}`, String(value));
  const child = spawnSync(process.execPath, argv, {
    encoding: "utf8",
    maxBuffer: 16 << 20,
    ...(progress ? { stdio: ["ignore", "pipe", "inherit"] as const } : {}),
  });
  if (child.status !== 0)
    return { ok: false, status: String(child.status ?? child.signal), stderr: child.stderr ?? "" };
  return { ok: true, result: (JSON.parse(child.stdout) as Record<string, T[]>)[bench]![0]! };
}
