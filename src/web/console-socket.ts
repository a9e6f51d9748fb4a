// A device console in the browser: a WebSocket whose text frames carry raw
// keys from xterm.js one way and terminal output the other, driving the same
// TerminalConsole and ConsoleSession as the terminal console (same prompt,
// `?` help, Tab completion, Ctrl-C, history, --More--). Each socket has its
// own session on the shared lab; syslog lines print as they arrive.

import type { ServerWebSocket, WebSocketHandler } from "bun";
import type { ConsoleSession } from "../console/console-session.ts";
import { TerminalConsole } from "../console/terminal.ts";
import type { DashboardLab } from "./dashboard-lab.ts";

/** Syslog lines a new console shows from before it opened. */
const SYSLOG_BACKLOG = 20;
/** How often a console prints syslog lines that arrived while it waited at its prompt. */
const SYSLOG_FLUSH_MS = 200;
/** Largest key frame accepted (a paste); larger ones close the socket. */
const MAX_FRAME = 64 * 1024;

/** What a console socket carries: the device it attaches to, and its session once open. */
export interface ConsoleSocketData {
  readonly device: string;
  session?: ConsoleSession;
  terminal?: TerminalConsole;
  timer?: ReturnType<typeof setInterval>;
}

/** Bun WebSocket handlers for consoles on the lab. */
export function consoleSocketHandlers(lab: DashboardLab): WebSocketHandler<ConsoleSocketData> {
  const close = (ws: ServerWebSocket<ConsoleSocketData>) => {
    const d = ws.data;
    if (d.timer !== undefined) clearInterval(d.timer);
    d.session?.close();
  };
  return {
    maxPayloadLength: MAX_FRAME,
    open(ws) {
      const d = ws.data;
      const send = (text: string) => {
        if (ws.readyState === 1) ws.send(text);
      };
      const terminal = new TerminalConsole(
        () => session,
        { write: send },
        () => {
          send("\n[console closed]\n");
          ws.close(1000, "console closed");
        },
      );
      const session = lab.console(
        {
          write: send,
          prompt: (p, again, text) => terminal.prompt(p, again, text),
          page: (text, length) => terminal.page(text, length),
        },
        d.device,
        Math.max(0, lab.lab.syslog.length - SYSLOG_BACKLOG),
      );
      d.session = session;
      d.terminal = terminal;
      send(`wanlab console: ${d.device} (${lab.topology.name}); exit goes to the wanlab> prompt, ? for help\n`);
      void session.start(0);
      d.timer = setInterval(() => {
        if (!session.busy && !session.closed) session.flushSyslog();
      }, SYSLOG_FLUSH_MS);
    },
    message(ws, message) {
      const keys = typeof message === "string" ? message : new TextDecoder().decode(message);
      ws.data.terminal?.feed(keys);
    },
    close,
  };
}
