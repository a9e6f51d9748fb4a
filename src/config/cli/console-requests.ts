/**
 * Requests a console sends a device besides command lines, over the same
 * command channel (`lab.command`): `?` help and Tab completion of a partial
 * line, Ctrl-C (abort the running command, cancel a dialog, leave
 * configuration mode), the device's status (is the running configuration
 * saved?) and its interfaces' state and counters (the dashboard's poll, which
 * must neither show in `show history` nor depend on the console's mode). A
 * request is a line that starts with NUL, which no keyboard sends
 * as a command; the device answers it at once, without touching its mode or
 * running anything, so a console never reaches into device state itself.
 */

import { completeLine, contextHelp, type HelpContext } from "./help.ts";
import type { CliSession, CommandSpec } from "./modes.ts";

/** What a console may ask a device. */
export type ConsoleRequest =
  | { readonly kind: "help"; readonly line: string }
  | { readonly kind: "complete"; readonly line: string }
  | { readonly kind: "break" }
  | { readonly kind: "status" }
  | { readonly kind: "interfaces" };

/** A device's answer to `status`. */
export interface DeviceStatus {
  /** The running configuration differs from the startup configuration (or NVRAM was erased); never without one. */
  readonly modified: boolean;
  /** The device keeps a startup configuration that `write memory` saves (a Linux host does not). */
  readonly saves: boolean;
  /** The prompt now (a dialog's question while one waits). */
  readonly prompt: string;
  /** A command (ping, traceroute...) is running. */
  readonly busy: boolean;
  /** `terminal length`: lines per screen for the console's pager, 0 for no paging. */
  readonly length: number;
}

const MARK = "\u0000";

/** One interface in a device's answer to `interfaces`, as `show interfaces` counts it. */
export interface InterfaceReport {
  readonly name: string;
  /** `up`, `down` or `administratively down`. */
  readonly status: string;
  readonly protocolUp: boolean;
  readonly inPackets: number;
  readonly inBytes: number;
  readonly outPackets: number;
  readonly outBytes: number;
  /** Input queue drops plus total output drops. */
  readonly drops: number;
  /** Output queue depth now. */
  readonly queue: number;
}

/** The command line that carries a request. */
export function encodeConsoleRequest(r: ConsoleRequest): string {
  return `${MARK}${r.kind}${"line" in r ? ` ${r.line}` : ""}`;
}

/** The request a command line carries, or undefined for an ordinary line. */
export function decodeConsoleRequest(line: string): ConsoleRequest | undefined {
  if (!line.startsWith(MARK)) return undefined;
  const m = /^(help|complete|break|status|interfaces)(?: ([\s\S]*))?$/.exec(line.slice(MARK.length));
  if (m === null) return undefined;
  const kind = m[1];
  if (kind === "help" || kind === "complete") return { kind, line: m[2] ?? "" };
  return kind === "break" ? { kind: "break" } : kind === "interfaces" ? { kind: "interfaces" } : { kind: "status" };
}

/** The help context of a session's current mode. */
export function sessionHelpContext<D>(session: CliSession<D>): HelpContext<CommandSpec<D>> {
  const table = session.table;
  const def = table.mode(session.mode);
  return {
    table,
    mode: session.mode,
    exec: def?.kind !== "config",
    specs: table.compiled(session.mode),
    execSpecs: table.compiled("exec"),
    promptLength: session.prompt.length,
  };
}

/**
 * Answers the requests only the CLI needs (help, completion): the help text,
 * or the completed line (the line unchanged when nothing is unique). Undefined
 * for the others, which the device answers itself. A dialog's question takes
 * no help: IOS offers none there.
 */
export function answerCliRequest<D>(session: CliSession<D>, r: ConsoleRequest): string | undefined {
  if (r.kind === "help")
    return session.pendingQuestion !== null ? "" : contextHelp(sessionHelpContext(session), r.line);
  if (r.kind === "complete")
    return session.pendingQuestion !== null ? r.line : (completeLine(sessionHelpContext(session), r.line) ?? r.line);
  return undefined;
}
