// A device console in the page: xterm.js on a WebSocket to the server's
// console session (the same prompt, `?` help, Tab completion, Ctrl-C and
// --More-- as the terminal console). Keys go to the server as typed; the
// server's line editor echoes them.

import { Terminal } from "@xterm/xterm";
import { api } from "./lab-api.ts";

/** An open console. */
export class DeviceConsole {
  readonly element: HTMLElement;
  readonly terminal: Terminal;
  private readonly socket: WebSocket;

  constructor(
    parent: HTMLElement,
    readonly device: string,
    onClose: (c: DeviceConsole) => void,
  ) {
    this.element = document.createElement("div");
    this.element.className = "console";
    this.element.dataset.device = device;
    const bar = document.createElement("div");
    bar.className = "bar";
    const title = document.createElement("span");
    title.textContent = `${device} console`;
    const close = document.createElement("button");
    close.textContent = "×";
    close.title = "Close the console";
    close.onclick = () => {
      this.socket.close();
      this.element.remove();
      onClose(this);
    };
    bar.append(title, close);
    const box = document.createElement("div");
    box.className = "term";
    this.element.append(bar, box);
    parent.append(this.element);
    this.terminal = new Terminal({ convertEol: true, fontSize: 13, rows: 18, cols: 100, scrollback: 2000 });
    this.terminal.open(box);
    this.socket = new WebSocket(api.consoleUrl(device));
    this.socket.onmessage = (e) => this.terminal.write(typeof e.data === "string" ? e.data : "");
    this.socket.onclose = () => this.terminal.write("\r\n[disconnected]\r\n");
    this.terminal.onData((keys) => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(keys);
    });
    this.terminal.focus();
  }

  /** The terminal's text (scrollback and screen), one line per row. */
  text(): string {
    const b = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n");
  }
}
