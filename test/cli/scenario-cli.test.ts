// The scenario command's exits: usage errors and scenario errors exit 2 with a
// message (JSON with --json); a broken topology names the device and kind.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dir, "../../src/cli/scenario.ts");

function run(...args: string[]) {
  const p = Bun.spawnSync([process.execPath, CLI, ...args], { stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("scenario CLI", () => {
  test("--seed -1, --seed 1.5, an unknown option and an extra argument exit 2 with a message", () => {
    expect(run("basic-ping", "--seed", "-1")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--seed must be"),
    });
    expect(run("basic-ping", "--seed", "1.5").code).toBe(2);
    expect(run("basic-ping", "--sede", "3")).toMatchObject({ code: 2, err: expect.stringContaining("--sede") });
    expect(run("basic-ping", "ecmp")).toMatchObject({
      code: 2,
      err: expect.stringContaining('unexpected argument "ecmp"'),
    });
  });
  test("--help documents the seed range", () => {
    const r = run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("whole number from 0 to 4294967295");
  });
  test("with --json, usage errors and an unknown device kind are JSON naming device and kind", () => {
    const bad = JSON.parse(run("basic-ping", "--json", "--bogus").out);
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining("--bogus") });
    const dir = mkdtempSync(join(tmpdir(), "wanlab-kind-"));
    writeFileSync(join(dir, "topology.json"), JSON.stringify({ devices: { R1: "router", SW1: "switch" } }));
    writeFileSync(join(dir, "steps.txt"), "wait 1s\n");
    const r = run(dir, "--json", "--workers", "2");
    expect(r.code).toBe(2);
    expect(r.err).toBe("");
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.error).toContain('device SW1: unknown device kind "switch" (known kinds: host, linux-host, router)');
    const plain = run(dir, "--workers", "2");
    expect(plain.code).toBe(2);
    expect(plain.err).toContain('unknown device kind "switch"');
    expect(plain.err).not.toContain("    at ");
  });
});
