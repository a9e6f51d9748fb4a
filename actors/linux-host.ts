// The Linux-style host actor (`"kind": "linux-host"`): an end station whose
// .cfg and prompt speak iproute2 (src/config/hosts/linux-host-commands.ts),
// with Linux's initial TTL of 64. It runs on the same device model and actor
// as routers and Windows-style hosts; only its command table, its TTL and its
// running configuration (the `ip` commands that rebuild it) differ.

import { linuxHostCommandTable } from "../src/config/hosts/linux-host-commands.ts";
import { renderLinuxConfig } from "../src/config/hosts/linux-ip.ts";
import type { DeviceActor, DeviceContext } from "../src/runtime/device.ts";
import { IosDeviceActor } from "./router.ts";

/** Linux's net.ipv4.ip_default_ttl. */
export const LINUX_DEFAULT_TTL = 64;

/** A host that looks like a Linux machine at its prompt. */
export class LinuxHostActor extends IosDeviceActor {
  constructor(name: string, configText: string) {
    super(name, withoutShellComments(configText), "host", linuxHostCommandTable());
  }

  override start(ctx: DeviceContext): void {
    super.start(ctx);
    this.routerDevice.stack.defaultTtl = LINUX_DEFAULT_TTL;
  }

  override runningConfig(): string {
    return renderLinuxConfig(this.routerDevice);
  }
}

/** The .cfg is a shell script of `ip` commands: `#` lines are comments (blanked, so line numbers stay). */
export function withoutShellComments(text: string): string {
  return text
    .split("\n")
    .map((l) => (l.trimStart().startsWith("#") ? "" : l))
    .join("\n");
}

/** Builds a Linux host actor. */
export function createLinuxHost(name: string, configText: string): DeviceActor {
  return new LinuxHostActor(name, configText);
}
