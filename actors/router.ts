// The router device actor: an IOS router built from its configuration text.
// It owns a RouterDevice (interfaces, IP stack, ACLs, logging) and a CLI
// session; frames, timers, carrier changes and console lines from the
// runtime are handled here on the device's own event loop.

import {
  answerCliRequest,
  type ConsoleRequest,
  type DeviceStatus,
  decodeConsoleRequest,
} from "../src/config/cli/console-requests.ts";
import { CliSession, type CommandTable } from "../src/config/cli/modes.ts";
import { gdoiConfigEnded } from "../src/config/gdoi/gdoi-commands.ts";
import { interfaceReport } from "../src/config/router/interface-report.ts";
import { routerCommandTable } from "../src/config/router/router-commands.ts";
import { type DeviceRole, RouterDevice } from "../src/config/router/router-device.ts";
import { configFromShowRun, renderRunningConfig } from "../src/config/router/running-config.ts";
import { configModified, markConfigSaved } from "../src/config/router/startup-config.ts";
import type { BootReason, DeviceActor, DeviceContext } from "../src/runtime/device.ts";

/** A router or host actor running IOS-style configuration. */
export class IosDeviceActor implements DeviceActor {
  private device!: RouterDevice;
  private session!: CliSession<RouterDevice>;
  private ctx!: DeviceContext;
  private currentCommand: number | null = null;

  constructor(
    readonly name: string,
    private readonly configText: string,
    private readonly role: DeviceRole,
    private readonly table: CommandTable<RouterDevice>,
    /** Private NVRAM carried over a restart (RsaKeyStore.toPrivateConfig). */
    private readonly nvram?: string,
  ) {}

  /** The device model (for tests and tools that run a lab inline and inspect or drive a device directly). */
  get routerDevice(): RouterDevice {
    return this.device;
  }

  /** The device model of this kind (a subclass may set it up before its configuration loads). */
  protected createDevice(ctx: DeviceContext): RouterDevice {
    return new RouterDevice(ctx, this.role);
  }

  /**
   * Whether the device keeps a startup configuration that `write memory`
   * saves: routers do; hosts (Windows-style and Linux) have no `write` and
   * are never "modified since the last save".
   */
  protected savesConfig(): boolean {
    return this.role === "router";
  }

  start(ctx: DeviceContext): void {
    this.ctx = ctx;
    this.device = this.createDevice(ctx);
    this.session = new CliSession(this.table, {
      device: this.device,
      hostname: () => this.device.hostname,
      privileged: true,
      onConfigEnd: () => {
        this.device.log("%SYS-5-CONFIG_I: Configured from console by console");
        gdoiConfigEnded(this.device); // a key server's changed group ACL is noticed here, as IOS does
      },
    });
    this.device.booting = true;
    // Keys first, as IOS reads private NVRAM before the configuration that refers to them.
    if (this.nvram !== undefined) this.device.crypto.pki.keys.loadPrivateConfig(this.nvram);
    // The routing table commits once when the whole configuration is in, not once per interface line.
    this.device.stack.withCommitsHeld(() => {
      const errors = this.session.loadConfig(this.configText);
      this.device.booting = false;
      markConfigSaved(this.device);
      for (const e of errors) {
        const text = `% ${this.name} config line ${e.line}: ${e.text.trim()}\n${e.message}`;
        this.device.configErrors.push(text);
        this.ctx.console(text);
      }
      // Ports follow the configuration: `no shutdown` raises carrier towards the far end.
      for (const ifc of this.device.interfaces()) this.device.interfaceChanged(ifc);
    });
    this.device.log(`%SYS-5-CONFIG_I: Configured from memory by console`);
    const restart = restartMessage(ctx.boot);
    if (restart !== null) this.device.log(restart);
  }

  receive(port: number, bytes: Uint8Array): void {
    this.device.stack.receive(port, bytes);
  }

  timer(tag: string): void {
    this.device.timers.fire(tag);
  }

  carrier(port: number, up: boolean): void {
    const ifc = this.device.stack.mainInterfaceOf(port);
    if (ifc === undefined) return;
    ifc.carrier = up;
    this.device.interfaceChanged(ifc, true);
    if (ifc.lineProtocolUp) {
      this.device.stack.announce(ifc);
      for (const sub of this.device.subinterfacesOf(ifc)) this.device.stack.announce(sub);
    }
  }

  command(id: number, line: string): void {
    const request = decodeConsoleRequest(line);
    if (request !== undefined) {
      this.ctx.reply(id, this.answer(request), true, this.session.prompt);
      return;
    }
    if (this.currentCommand !== null) {
      this.ctx.reply(id, "% Another command is still running on this console\n", true, this.session.prompt);
      return;
    }
    // The console line's history (`show history`): what was typed at a prompt, not a dialog's answers.
    if (this.session.pendingQuestion === null)
      this.device.consoleLine.remember(
        line.endsWith("\u001a") ? line.slice(0, -1) : line,
        this.session.table.mode(this.session.mode)?.kind === "config",
      );
    this.currentCommand = id;
    this.device.output = (text) => this.ctx.reply(id, text, false);
    this.device.finished = () => this.finish(id);
    const result = this.session.execute(line);
    if (this.device.crashRequested) {
      this.device.crashRequested = false;
      throw new Error(`test crash requested on ${this.device.hostname}`);
    }
    if (this.device.job !== null) return; // the job replies as it goes and finishes later
    this.ctx.reply(id, withNewline(result.output), false);
    this.finish(id);
  }

  /** A console's request (help, completion, Ctrl-C, status): answered at once, even while a command runs. */
  private answer(r: ConsoleRequest): string {
    const cli = answerCliRequest(this.session, r);
    if (cli !== undefined) return cli;
    if (r.kind === "interfaces") return JSON.stringify(interfaceReport(this.device));
    if (r.kind === "status") {
      const status: DeviceStatus = {
        modified: this.savesConfig() && configModified(this.device),
        saves: this.savesConfig(),
        prompt: this.session.prompt,
        busy: this.currentCommand !== null,
        length: this.device.consoleLine.length,
      };
      return JSON.stringify(status);
    }
    // Ctrl-C: stop the running command (it prints its summary and ends), else drop a dialog's question, else
    // leave configuration mode as `end` does.
    const job = this.device.job;
    if (job !== null) job.interrupt();
    else if (this.session.pendingQuestion !== null) this.session.cancelQuestion();
    else if (this.session.table.mode(this.session.mode)?.kind === "config") this.session.end();
    return "";
  }

  private finish(id: number): void {
    if (this.currentCommand !== id) return;
    this.currentCommand = null;
    this.device.output = null;
    this.device.finished = null;
    this.ctx.reply(id, "", true, this.session.prompt);
  }

  runningConfig(): string {
    return configFromShowRun(renderRunningConfig(this.device));
  }

  privateConfig(): string {
    return this.device.crypto.pki.keys.toPrivateConfig();
  }
}

/** IOS's restart message after a crash or a reload, with the reason as `show version` words it (none at power-on). */
function restartMessage(boot: BootReason): string | null {
  if (boot.kind === "powerOn") return null;
  const reason = boot.kind === "reload" ? "reload" : `error - a Software forced crash (${boot.error})`;
  return `%SYS-5-RESTART: System restarted --\nSystem returned to ROM by ${reason}`;
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** Builds a router actor. */
export function createRouter(name: string, configText: string, privateConfig?: string): DeviceActor {
  return new IosDeviceActor(name, configText, "router", routerCommandTable(), privateConfig);
}
