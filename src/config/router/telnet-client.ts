// `telnet A [port]` at a router's prompt and at the Windows host's, over the
// device's TCP (src/dataplane/tcp): the connection attempt and its outcome
// in each system's words, then, once open, what the far end sends (telnet
// option negotiation, IAC sequences per RFC 854, left out) until it closes
// the connection or the console's escape (Ctrl-C here) closes ours. The
// console cannot type into the session: a lab uses it to see that a port
// answers (an open TCP connection, with the MSS of its SYN) or refuses (RST).
//   IOS:     Trying 10.0.2.10, 5001 ... Open  /  % Connection refused by remote host
//            % Connection timed out; remote host not responding  /  [Connection to A closed by foreign host]
//   Windows: Connecting To 10.0.2.10...Could not open connection to the host, on port 23: Connect failed
//            (the screen clears when it opens: ESC[2J ESC[H)  /  Connection to host lost.

import type { TcpCloseReason, TcpConnection } from "../../dataplane/tcp/tcp-connection.ts";
import { formatIpv4Address, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { CommandSpec } from "../cli/modes.ts";
import { startExecJob } from "./exec-job.ts";
import type { ExecJob, RouterDevice } from "./router-device.ts";

export const TELNET_PORT = 23;
const IAC = 255;

/** Whose words the client prints. */
export type TelnetStyle = "ios" | "windows";

/** Text the far end sent, without RFC 854's IAC command sequences (option negotiation). */
export function telnetText(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== IAC) {
      out += String.fromCharCode(c);
      continue;
    }
    const cmd = b[i + 1];
    if (cmd === IAC) {
      out += "\u00ff";
      i++;
    } else if (cmd !== undefined && cmd >= 251 && cmd <= 254)
      i += 2; // WILL/WONT/DO/DONT option
    else if (cmd === 250) {
      // SB ... IAC SE
      let j = i + 2;
      while (j < b.length && !(b[j] === IAC && b[j + 1] === 240)) j++;
      i = j + 1;
    } else i++;
  }
  return out.replace(/\r\n/g, "\n");
}

/** One telnet session attempt. */
export class TelnetJob implements ExecJob {
  private conn: TcpConnection | null = null;
  private opened = false;
  private finished = false;

  constructor(
    private readonly device: RouterDevice,
    private readonly target: number,
    private readonly port: number,
    private readonly style: TelnetStyle,
    private readonly write: (text: string) => void,
    private readonly done: () => void,
  ) {}

  start(): void {
    const a = formatIpv4Address(this.target);
    if (this.style === "ios") this.write(`Trying ${a}${this.port === TELNET_PORT ? "" : `, ${this.port}`} ... `);
    else this.write(`Connecting To ${a}...`);
    const c = this.device.tcp.connect(this.target, this.port, {
      established: () => {
        this.opened = true;
        // IOS says Open; Windows clears the console for the session (ANSI erase display, cursor home).
        this.write(this.style === "ios" ? "Open\n" : "\u001b[2J\u001b[H");
      },
      data: (d) => this.write(telnetText(d)),
      peerClosed: () => this.foreignClose(),
      closed: (reason) => this.closed(reason),
    });
    if (typeof c === "string") return this.failed("unreachable");
    this.conn = c;
  }

  private foreignClose(): void {
    if (this.finished) return;
    this.conn?.close();
    const a = formatIpv4Address(this.target);
    this.end(
      this.style === "ios" ? `\n[Connection to ${a} closed by foreign host]\n` : "\n\nConnection to host lost.\n",
    );
  }

  private closed(reason: TcpCloseReason): void {
    if (this.finished) return;
    if (!this.opened) return this.failed(reason === "refused" ? "refused" : "timedOut");
    this.foreignClose();
  }

  private failed(why: "refused" | "timedOut" | "unreachable"): void {
    if (this.style === "windows")
      return this.end(`Could not open connection to the host, on port ${this.port}: Connect failed\n`);
    const text = {
      refused: "% Connection refused by remote host",
      timedOut: "% Connection timed out; remote host not responding",
      unreachable: "% Destination unreachable; gateway or host down",
    }[why];
    this.end(`\n${text}\n`);
  }

  private end(text: string): void {
    if (this.finished) return;
    this.finished = true;
    this.write(text);
    this.done();
  }

  abort(): void {
    this.finished = true;
    this.conn?.abort();
  }

  /** The console's escape: our side closes (FIN) and the prompt comes back. */
  interrupt(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.opened) this.conn?.close();
    else this.conn?.abort();
    this.write("\n");
    this.done();
  }
}

/** IOS's `telnet A [port]` (exec). */
export const iosTelnetCommand: CommandSpec<RouterDevice> = {
  syntax: "telnet A.B.C.D:host [<1-65535>:port]",
  handler: (a, ctx) => {
    const device = ctx.device;
    const target = parseIpv4Address(String(a.host))!;
    const port = a.port === undefined ? TELNET_PORT : Number(a.port);
    startExecJob(device, (write, done) => new TelnetJob(device, target, port, "ios", write, done));
  },
};

const WINDOWS_TELNET_USAGE = "\ntelnet [-a][-e escape char][-f log file][-l user][-t term][host [port]]";

/** The Windows host's `telnet host [port]`. */
export const windowsTelnetCommand: CommandSpec<RouterDevice> = {
  syntax: "telnet [LINE:args]",
  handler: (a, ctx) => {
    const words = String(a.args ?? "")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    if (words.length === 0 || words.length > 2 || words[0]!.startsWith("-")) return WINDOWS_TELNET_USAGE;
    const port = words[1] === undefined ? TELNET_PORT : Number(words[1]);
    const target = parseIpv4Address(words[0]!);
    if (target === null || !Number.isInteger(port) || port < 1 || port > 65535)
      return `Connecting To ${words[0]}...Could not open connection to the host, on port ${words[1] ?? TELNET_PORT}: Connect failed`;
    const device = ctx.device;
    startExecJob(device, (write, done) => new TelnetJob(device, target, port, "windows", write, done));
  },
};
