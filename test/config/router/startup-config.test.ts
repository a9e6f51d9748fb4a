// The startup configuration in NVRAM: write memory / write / copy run start
// save the running config there, show startup-config prints it with IOS's
// header, write erase and erase startup-config remove it, copy start run
// merges it back line by line, and reload asks to save only when the running
// config changed, then restarts through the runtime.

import { describe, expect, test } from "bun:test";
import { markConfigSaved } from "../../../src/config/router/startup-config.ts";
import { type RouterSession, routerSession } from "./router-session.ts";

function booted(): RouterSession {
  const r = routerSession("R1");
  r.ctx.nvram.startupConfig = "hostname R1\ninterface Serial0/0\n ip address 10.0.12.1 255.255.255.0\n";
  expect(r.load(r.ctx.nvram.startupConfig.split("\n"))).toEqual([]);
  markConfigSaved(r.device);
  return r;
}

describe("startup-config", () => {
  test("show startup-config prints the boot config with IOS's Using N out of M bytes header", () => {
    const r = booted();
    const text = r.ctx.nvram.startupConfig!;
    expect(r.run("show startup-config")).toBe(`Using ${text.length} out of 521216 bytes\n${text}`);
  });

  test("write memory saves the running config: show startup-config then holds it", () => {
    const r = booted();
    r.run("configure terminal");
    r.run("hostname EDGE");
    r.run("end");
    expect(r.run("show startup-config")).not.toContain("hostname EDGE");
    expect(r.run("write memory")).toBe("Building configuration...\n[OK]\n");
    const saved = r.ctx.nvram.startupConfig!;
    expect(saved.startsWith("!\nversion 15.2\n")).toBe(true);
    expect(saved).toContain("hostname EDGE\n");
    expect(saved).toContain("interface Serial0/0\n ip address 10.0.12.1 255.255.255.0\n");
    expect(saved.endsWith("end\n")).toBe(true);
    expect(r.run("show startup-config")).toBe(`Using ${saved.length} out of 521216 bytes\n${saved}`);
  });

  test("write and copy running-config startup-config (one-line form of IOS's dialog) save too", () => {
    const r = booted();
    r.run("configure terminal");
    r.run("hostname R9");
    r.run("end");
    expect(r.run("write")).toBe("Building configuration...\n[OK]\n");
    expect(r.ctx.nvram.startupConfig).toContain("hostname R9\n");
    r.run("configure terminal");
    r.run("hostname R10");
    r.run("end");
    expect(r.run("copy running-config startup-config")).toBe(
      "Destination filename [startup-config]? \nBuilding configuration...\n[OK]\n",
    );
    expect(r.ctx.nvram.startupConfig).toContain("hostname R10\n");
  });

  test("write erase / erase startup-config: startup-config is not present", () => {
    for (const command of ["write erase", "erase startup-config"]) {
      const r = booted();
      expect(r.run(command)).toBe(
        "Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]\n[OK]\nErase of nvram: complete\n",
      );
      expect(r.ctx.nvram.startupConfig).toBeNull();
      expect(r.run("show startup-config")).toBe("startup-config is not present\n");
      expect(r.run("copy startup-config running-config")).toContain(
        "%Error opening nvram:/startup-config (No such file or directory)",
      );
    }
  });

  test("copy startup-config running-config merges NVRAM into the running config", () => {
    const r = booted();
    r.ctx.nvram.startupConfig =
      "interface Loopback0\n ip address 1.1.1.1 255.255.255.255\nip route 0.0.0.0 0.0.0.0 10.0.12.2\n";
    r.run("configure terminal");
    r.run("interface Serial0/0");
    r.run("description kept");
    r.run("end");
    const out = r.run("copy startup-config running-config");
    expect(out).toStartWith("Destination filename [running-config]? \n");
    expect(out).toContain(" bytes copied in ");
    const run = r.run("show running-config");
    expect(run).toContain("interface Loopback0\n ip address 1.1.1.1 255.255.255.255\n");
    expect(run).toContain("ip route 0.0.0.0 0.0.0.0 10.0.12.2\n");
    expect(run).toContain(" description kept\n"); // a merge, not a replace
    expect(r.session.prompt).toBe("R1#");
  });

  test("copy startup-config running-config reports lines the parser refuses", () => {
    const r = booted();
    r.ctx.nvram.startupConfig = "hostname R1\n bogus line\n";
    expect(r.run("copy startup-config running-config")).toContain(
      " bogus line\n ^\n% Invalid input detected at '^' marker.",
    );
  });

  test("reload: no question when saved; after a change IOS asks to save, the console answers no; the runtime restarts", () => {
    const r = booted();
    expect(r.run("reload")).toBe("Proceed with reload? [confirm]\n");
    expect(r.ctx.reloads).toBe(1);
    r.run("configure terminal");
    r.run("hostname CHANGED");
    r.run("end");
    expect(r.run("reload")).toBe(
      "System configuration has been modified. Save? [yes/no]: no\nProceed with reload? [confirm]\n",
    );
    expect(r.ctx.reloads).toBe(2);
    expect(r.ctx.nvram.startupConfig).not.toContain("CHANGED");
    expect(r.ctx.consoleLines).toContain("%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.");
    r.run("write memory");
    expect(r.run("reload")).toBe("Proceed with reload? [confirm]\n");
    r.run("write erase");
    expect(r.run("reload")).toContain("System configuration has been modified. Save? [yes/no]: no\n");
  });
});
