// The device's console line (IOS's con 0: wanlab's interactive console and a
// scenario's steps both type there). It decides which syslog and debug lines
// reach the console, holds the terminal settings of the session (`terminal
// length`, `terminal monitor`, `terminal history size`) and the history of the
// commands typed on it (`show history`).
//
// wanlab's rule for the lab console: it is the console line for syslog
// messages, which reach it while `logging console` (on, at debugging, by
// default) allows their severity; and after `terminal monitor` it is also a
// monitor session, which receives what `logging monitor` (on, at debugging, by
// default) allows: syslog messages and debug output alike. Debug output
// reaches the console only through the monitor session, so a lab with debugs
// on keeps a readable console and its scenario syslog unchanged until a step
// turns monitor on; `show logging` has every debug line anyway. A line either
// path admits is shown once; `show logging` counts the lines each path took.

import { SEVERITY_NAMES, severityOf } from "./logging-buffer.ts";

/** IOS's default screen length (`terminal length`): 24 lines, the pager stops after 23. */
export const DEFAULT_TERMINAL_LENGTH = 24;
/** IOS's default history size per mode (`terminal history size`). */
export const DEFAULT_HISTORY_SIZE = 10;
/** `logging console` default level: debugging. */
export const DEFAULT_CONSOLE_LEVEL = 7;
/** `logging monitor` default level: debugging. */
export const DEFAULT_MONITOR_LEVEL = 7;
/** Severity of debug output. */
const DEBUG_SEVERITY = 7;

/** The console line of one device. */
export class ConsoleLine {
  /** `logging console` / `no logging console` (running config). */
  logging = true;
  /** `logging console LEVEL`: the highest severity shown (running config). */
  level = DEFAULT_CONSOLE_LEVEL;
  /** `logging monitor` / `no logging monitor` (running config). */
  monitorLogging = true;
  /** `logging monitor LEVEL`: the highest severity a monitor session receives (running config). */
  monitorLevel = DEFAULT_MONITOR_LEVEL;
  /** `terminal monitor` / `terminal no monitor` (this session only). */
  monitor = false;
  /** Lines the monitor session received (show logging's Monitor logging count). */
  monitorLogged = 0;
  /** `terminal length N`: lines per screen, 0 for no paging (this session only). */
  length = DEFAULT_TERMINAL_LENGTH;
  private size = DEFAULT_HISTORY_SIZE;
  private readonly histories = { exec: [] as string[], config: [] as string[] };

  /** True if a syslog message (`%FAC-N-MNEMONIC: ...`) reaches the console (counted when the monitor session takes it). */
  showsMessage(text: string): boolean {
    const severity = severityOf(text);
    const monitored = this.monitors(severity);
    return (this.logging && severity <= this.level) || monitored;
  }

  /** True if debug output reaches the console: only through the monitor session (counted). */
  showsDebug(): boolean {
    return this.monitors(DEBUG_SEVERITY);
  }

  /** True if the monitor session (`terminal monitor`) receives a line of this severity; counts it. */
  private monitors(severity: number): boolean {
    if (!this.monitor || !this.monitorLogging || severity > this.monitorLevel) return false;
    this.monitorLogged++;
    return true;
  }

  /** `terminal history size N`: lines kept per mode (IOS keeps exec and configuration commands apart). */
  get historySize(): number {
    return this.size;
  }

  set historySize(n: number) {
    this.size = n;
    for (const h of Object.values(this.histories)) h.splice(0, Math.max(0, h.length - n));
  }

  /** Records a command typed at an exec prompt or, with `config`, in a configuration mode. */
  remember(line: string, config: boolean): void {
    const text = line.trim();
    if (text === "" || this.size === 0) return;
    const h = config ? this.histories.config : this.histories.exec;
    h.push(text);
    if (h.length > this.size) h.splice(0, h.length - this.size);
  }

  /** The history of exec (or configuration) commands, oldest first. */
  history(config: boolean): readonly string[] {
    return config ? this.histories.config : this.histories.exec;
  }
}

/**
 * The running-config lines of `logging console` and `logging monitor`: none at
 * the defaults, else `no logging console|monitor` or the level, then `!`.
 */
export function consoleLoggingLines(line: ConsoleLine): string[] {
  const lines: string[] = [];
  if (!line.logging) lines.push("no logging console");
  else if (line.level !== DEFAULT_CONSOLE_LEVEL) lines.push(`logging console ${SEVERITY_NAMES[line.level]}`);
  if (!line.monitorLogging) lines.push("no logging monitor");
  else if (line.monitorLevel !== DEFAULT_MONITOR_LEVEL)
    lines.push(`logging monitor ${SEVERITY_NAMES[line.monitorLevel]}`);
  return lines.length > 0 ? [...lines, "!"] : [];
}
