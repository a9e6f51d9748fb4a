// The startup configuration in NVRAM and the exec commands around it:
// `write [memory]`, `copy running-config startup-config`, `show
// startup-config`, `write erase` / `erase startup-config`, `copy
// startup-config running-config` (a merge through the same parser) and
// `reload` (the runtime restarts the device from NVRAM). The text lives in
// ctx.nvram.startupConfig, which the runtime keeps across restarts; it starts
// as the scenario's .cfg. IOS's questions are asked through the CLI's dialogs:
// `Destination filename [startup-config]?`, `Continue? [confirm]`, `Save?
// [yes/no]:` and `Proceed with reload? [confirm]`.

import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { confirmed, yesNo } from "./exec-dialog.ts";
import type { RouterDevice } from "./router-device.ts";
import { configFromShowRun, renderRunningConfig } from "./running-config.ts";

/** NVRAM size, as `show version` says (509K bytes of NVRAM). */
export const NVRAM_BYTES = 509 * 1024;

/** The running configuration as it would be saved: from the first `!` to `end`. */
export function savedConfigText(device: RouterDevice): string {
  const text = configFromShowRun(renderRunningConfig(device));
  return `${text.trim()}\n`;
}

/** Records the running configuration as the one NVRAM holds (after boot and after every save). */
export function markConfigSaved(device: RouterDevice): void {
  device.savedConfig = savedConfigText(device);
}

/** True when the running configuration differs from what was last saved (or NVRAM was erased). */
export function configModified(device: RouterDevice): boolean {
  return device.ctx.nvram.startupConfig === null || device.savedConfig !== savedConfigText(device);
}

function save(device: RouterDevice): string {
  device.ctx.nvram.startupConfig = savedConfigText(device);
  markConfigSaved(device);
  return "Building configuration...\n[OK]";
}

function erase(ctx: CommandContext<RouterDevice>): void {
  ctx.session.ask("Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]", (a) => {
    if (!confirmed(a)) return;
    ctx.device.ctx.nvram.startupConfig = null;
    ctx.device.log("%SYS-7-NV_BLOCK_INIT: Initialized the geometry of nvram");
    return "[OK]\nErase of nvram: complete";
  });
}

/** IOS's `Destination filename [NAME]?`: Enter or NAME goes ahead; NVRAM holds no other file. */
function destination(ctx: CommandContext<RouterDevice>, name: string, go: () => HandlerResult): void {
  ctx.session.ask(`Destination filename [${name}]? `, (a) => {
    const typed = a.trim();
    if (typed !== "" && typed !== name) return `%Error opening nvram:/${typed} (wanlab's NVRAM holds only ${name})`;
    return go();
  });
}

/** `reload`: IOS asks to save a modified configuration, then to proceed. */
function reload(ctx: CommandContext<RouterDevice>): void {
  const device = ctx.device;
  const proceed = (): HandlerResult => {
    ctx.session.ask("Proceed with reload? [confirm]", (a) => {
      if (!confirmed(a)) return;
      device.log("%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.");
      device.ctx.reload();
    });
  };
  if (!configModified(device)) return void proceed();
  const askSave = (): HandlerResult => {
    ctx.session.ask("System configuration has been modified. Save? [yes/no]: ", (a) => {
      const answer = yesNo(a.trim(), false);
      // No default here: Enter asks again, as IOS does.
      if (a.trim() === "" || typeof answer !== "boolean") {
        askSave();
        return "% Please answer 'yes' or 'no'.";
      }
      const saved = answer ? `${save(device)}\n` : "";
      proceed();
      return saved;
    });
  };
  askSave();
}

/** `show startup-config`: IOS's `Using N out of M bytes` header, then the text as saved. */
export function renderShowStartupConfig(device: RouterDevice): string {
  const text = device.ctx.nvram.startupConfig;
  if (text === null) return "startup-config is not present\n";
  const bytes = Buffer.byteLength(text);
  return `Using ${bytes} out of ${NVRAM_BYTES} bytes\n${text.endsWith("\n") ? text : `${text}\n`}`;
}

/** `copy startup-config running-config`: merges NVRAM into the running config line by line, as IOS does. */
function mergeStartup(device: RouterDevice, load: (text: string) => string[]): HandlerResult {
  const text = device.ctx.nvram.startupConfig;
  if (text === null) return "%Error opening nvram:/startup-config (No such file or directory)";
  const errors = load(text);
  const bytes = Buffer.byteLength(text);
  device.log("%SYS-5-CONFIG_I: Configured from memory by console");
  // The copy takes no virtual time here; IOS's rate line is kept with that duration.
  return [...errors, `${bytes} bytes copied in 0.000 secs (${bytes} bytes/sec)`].join("\n");
}

const specs: CommandSpec<RouterDevice>[] = [
  { syntax: "write [memory]", handler: (_a, ctx) => save(ctx.device) },
  { syntax: "write erase", handler: (_a, ctx) => erase(ctx) },
  { syntax: "erase startup-config", handler: (_a, ctx) => erase(ctx) },
  {
    syntax: "copy running-config startup-config",
    handler: (_a, ctx) => destination(ctx, "startup-config", () => save(ctx.device)),
  },
  {
    syntax: "copy startup-config running-config",
    handler: (_a, ctx) =>
      destination(ctx, "running-config", () =>
        mergeStartup(ctx.device, (text) => ctx.session.loadConfig(text).map((e) => e.message)),
      ),
  },
  { syntax: "show startup-config", handler: (_a, ctx) => renderShowStartupConfig(ctx.device) },
  {
    syntax: "reload",
    help: "Halt and perform a cold restart from the startup configuration (unsaved changes are not saved)",
    handler: (_a, ctx) => reload(ctx),
  },
];

/** Registers the NVRAM commands in privileged exec. */
export function addStartupConfigCommands(table: CommandTable<RouterDevice>): void {
  table.add("exec", ...specs);
}
