// The console under a pseudo-terminal, read through a terminal emulator, so
// tests check what a user sees. The PTY comes from util-linux's `script -qfc`
// (no native module to build; Python's pty module would do too but needs a
// helper script): the console sees a TTY on stdin and stdout, switches to raw
// keys, and its output goes through @xterm/headless, which applies cursor
// moves and line erasures as a real terminal would.

import { join } from "node:path";
import { Terminal } from "@xterm/headless";

const CLI = join(import.meta.dir, "..", "..", "src", "cli", "console.ts");

/** A running console on a PTY. */
export class PtyConsole {
  private readonly term = new Terminal({ cols: 100, rows: 500, allowProposedApi: true, scrollback: 5000 });
  private readonly proc: ReturnType<typeof Bun.spawn>;
  private exited = false;
  readonly exitCode: Promise<number>;
  /** Everything the console wrote, raw. */
  raw = "";

  constructor(scenario: string, args: string[] = []) {
    const command = ["bun", CLI, scenario, ...args].map((a) => `'${a}'`).join(" ");
    this.proc = Bun.spawn(["script", "-qfec", `stty cols 100 rows 50; exec ${command}`, "/dev/null"], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, TERM: "xterm" },
    });
    this.exitCode = this.proc.exited.then((c) => {
      this.exited = true;
      return c;
    });
    void this.pump();
  }

  private async pump(): Promise<void> {
    const reader = (this.proc.stdout as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const text = decoder.decode(value, { stream: true });
      this.raw += text;
      this.term.write(text);
    }
  }

  /** Types keys (raw: "\r" is Enter, "\t" Tab, "\u0003" Ctrl-C). */
  send(keys: string): void {
    const stdin = this.proc.stdin as import("bun").FileSink;
    stdin.write(keys);
    stdin.flush();
  }

  /** The screen as text: every line of the buffer, trailing blanks trimmed. */
  screen(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines.join("\n");
  }

  /** The line the cursor is on. */
  cursorLine(): string {
    const buf = this.term.buffer.active;
    return buf.getLine(buf.baseY + buf.cursorY)?.translateToString(true) ?? "";
  }

  /** Waits until the screen matches a text, a pattern or a test (polling; the terminal parses asynchronously). */
  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise<void>((r) => this.term.write("", () => r()));
      const s = this.screen();
      if (typeof what === "string" ? s.includes(what) : typeof what === "function" ? what(s) : what.test(s)) return s;
      if (Date.now() > deadline || this.exited)
        throw new Error(
          `timed out waiting for ${String(what)}; screen:\n${s}\nraw tail: ${JSON.stringify(this.raw.slice(-400))}`,
        );
      await Bun.sleep(50);
    }
  }

  /** Text written after the first occurrence of `marker` on screen. */
  after(marker: string): string {
    const s = this.screen();
    const at = s.lastIndexOf(marker);
    return at < 0 ? "" : s.slice(at);
  }

  kill(): void {
    if (!this.exited) this.proc.kill();
  }
}
