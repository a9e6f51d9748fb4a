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

  test("write and copy running-config startup-config (Destination filename asked, Enter takes it) save too", () => {
    const r = booted();
    r.run("configure terminal");
    r.run("hostname R9");
    r.run("end");
    expect(r.run("write")).toBe("Building configuration...\n[OK]\n");
    expect(r.ctx.nvram.startupConfig).toContain("hostname R9\n");
    r.run("configure terminal");
    r.run("hostname R10");
    r.run("end");
    expect(r.session.execute("copy running-config startup-config")).toEqual({
      output: "",
      prompt: "Destination filename [startup-config]? ",
    });
    expect(r.ctx.nvram.startupConfig).not.toContain("hostname R10\n");
    expect(r.run("")).toBe("Building configuration...\n[OK]\n");
    expect(r.ctx.nvram.startupConfig).toContain("hostname R10\n");
    r.run("copy running-config startup-config");
    expect(r.run("flash:x")).toStartWith("%Error opening nvram:/flash:x");
  });

  test("write erase / erase startup-config: startup-config is not present", () => {
    for (const command of ["write erase", "erase startup-config"]) {
      const r = booted();
      expect(r.session.execute(command).prompt).toBe(
        "Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]",
      );
      expect(r.run("n")).toBe("");
      expect(r.ctx.nvram.startupConfig).not.toBeNull();
      r.run(command);
      expect(r.run("")).toBe("[OK]\nErase of nvram: complete\n");
      expect(r.ctx.nvram.startupConfig).toBeNull();
      expect(r.run("show startup-config")).toBe("startup-config is not present\n");
      r.run("copy startup-config running-config");
      expect(r.run("")).toContain("%Error opening nvram:/startup-config (No such file or directory)");
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
    expect(r.session.execute("copy startup-config running-config").prompt).toBe(
      "Destination filename [running-config]? ",
    );
    const out = r.run("");
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
    r.run("copy startup-config running-config");
    expect(r.run("")).toContain(" bogus line\n ^\n% Invalid input detected at '^' marker.");
  });

  test("reload: no question when saved; after a change IOS asks to save (yes saves, no does not, Enter asks again), then to proceed; the runtime restarts", () => {
    const r = booted();
    expect(r.session.execute("reload")).toEqual({ output: "", prompt: "Proceed with reload? [confirm]" });
    expect(r.run("n")).toBe("");
    expect(r.ctx.reloads).toBe(0);
    r.run("reload");
    r.run("");
    expect(r.ctx.reloads).toBe(1);
    r.run("configure terminal");
    r.run("hostname CHANGED");
    r.run("end");
    expect(r.session.execute("reload").prompt).toBe("System configuration has been modified. Save? [yes/no]: ");
    expect(r.session.execute("")).toEqual({
      output: "% Please answer 'yes' or 'no'.\n",
      prompt: "System configuration has been modified. Save? [yes/no]: ",
    });
    expect(r.session.execute("no")).toEqual({ output: "", prompt: "Proceed with reload? [confirm]" });
    r.run("");
    expect(r.ctx.reloads).toBe(2);
    expect(r.ctx.nvram.startupConfig).not.toContain("CHANGED");
    expect(r.ctx.consoleLines).toContain("%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.");
    r.run("reload");
    expect(r.run("yes")).toBe("Building configuration...\n[OK]\n");
    expect(r.ctx.nvram.startupConfig).toContain("hostname CHANGED\n");
    r.run("y");
    expect(r.ctx.reloads).toBe(3);
    expect(r.session.execute("reload").prompt).toBe("Proceed with reload? [confirm]");
    r.run("");
    r.run("write erase");
    r.run("");
    expect(r.session.execute("reload").prompt).toBe("System configuration has been modified. Save? [yes/no]: ");
  });
});
