// The Linux-style host actor (`"kind": "linux-host"`): an end station whose
// .cfg and prompt speak iproute2 (src/config/hosts/linux-host-commands.ts),
// with Linux's initial TTL of 64. It runs on the same device model and actor
// as routers and Windows-style hosts; only its command table, its TTL, its
// running configuration (the `ip` commands that rebuild it) and its kernel's
// link messages instead of IOS's differ. Like every host it has no startup
// configuration to save (its .cfg is the script it runs at boot).

import { linuxHostCommandTable } from "../src/config/hosts/linux-host-commands.ts";
import { renderLinuxConfig } from "../src/config/hosts/linux-ip.ts";
import { dmesgStamp, linuxLinkMessage } from "../src/config/hosts/linux-kernel-log.ts";
import type { RouterDevice } from "../src/config/router/router-device.ts";
import type { DeviceActor, DeviceContext } from "../src/runtime/device.ts";
import { IosDeviceActor } from "./router.ts";

/** Linux's net.ipv4.ip_default_ttl. */
export const LINUX_DEFAULT_TTL = 64;

/** A host that looks like a Linux machine at its prompt. */
export class LinuxHostActor extends IosDeviceActor {
  constructor(name: string, configText: string) {
    super(name, withoutShellComments(configText), "host", linuxHostCommandTable());
  }

  protected override createDevice(ctx: DeviceContext): RouterDevice {
    const device = super.createDevice(ctx);
    device.linkLog = (ifc, was, now) => {
      const text = linuxLinkMessage(ifc, was, now);
      if (text !== null) device.log(`${dmesgStamp(device.now() - device.bootedAt)} ${text}`, null);
    };
    return device;
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
