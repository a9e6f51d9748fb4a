// The console on a real terminal: stdin in raw mode, keys through the line
// editor, and the session's answers written back. While a command runs, keys
// are held (IOS's type-ahead) except the escape sequences that abort it:
// Ctrl-C, and Ctrl-^ (Ctrl-Shift-6) followed by x. `?` and Tab go to the
// device at once; the editor redraws the line afterwards. Output a command
// prints at once goes through IOS's pager: ` --More-- ` after `terminal
// length` - 1 lines, then space (a page), Enter (a line), q or any other key
// (the rest is dropped).

import type { ConsoleSession } from "./console-session.ts";
import { BELL, type EditorEvent, LineEditor } from "./line-editor.ts";

/** The terminal a console runs on. */
export interface TerminalIO {
  write(text: string): void;
}

/** Ctrl-^ (Ctrl-Shift-6), the first key of IOS's escape sequence. */
const CTRL_CARET = "\u001e";

/** IOS's pager prompt. */
export const MORE = " --More-- ";

/** Drives a ConsoleSession from raw keystrokes. */
export class TerminalConsole {
  readonly editor: LineEditor;
  private busy = false;
  private held = "";
  private caretSeen = false;
  /** Output waiting behind ` --More-- `: its lines, the next one to show, the page size. */
  private more: { lines: string[]; at: number; length: number; resolve: (all: boolean) => void } | null = null;

  constructor(
    private readonly session: () => ConsoleSession,
    private readonly io: TerminalIO,
    /** Called when the session closed (quit, end of input). */
    private readonly onClose: () => void,
  ) {
    this.editor = new LineEditor(
      (t) => io.write(t),
      (e) => this.event(e),
    );
  }

  /** The session wants a prompt: a new line, the same line again after syslog output, or `text` after `?`. */
  prompt(prompt: string, again = false, text = ""): void {
    this.busy = false;
    this.editor.start(prompt, again ? this.editor.text : text);
    this.replayHeld();
  }

  /**
   * Shows a command's output a screen at a time: `length - 1` lines, then ` --More-- ` until a key: space shows
   * the next screen, Enter the next line, q or any other key ends the output (resolves false).
   */
  page(text: string, length: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.more = { lines: text.split("\n"), at: 0, length, resolve };
      this.showMore(length - 1);
    });
  }

  /** Shows up to `n` more lines, then ` --More-- `, or the rest and ends the pager. */
  private showMore(n: number): void {
    const m = this.more!;
    const complete = m.lines.length - 1;
    let out = "";
    const end = Math.min(complete, m.at + n);
    for (; m.at < end; m.at++) out += `${m.lines[m.at]}\n`;
    if (m.at < complete) {
      this.io.write(out + MORE);
      return;
    }
    this.io.write(out + m.lines[complete]!);
    this.more = null;
    m.resolve(true);
  }

  /** A key at ` --More-- `: the prompt is erased, then the next page, the next line, or the end. */
  private moreKey(ch: string): void {
    const m = this.more!;
    this.io.write("\r\u001b[K");
    if (ch === " ") return this.showMore(m.length - 1);
    if (ch === "\r" || ch === "\n") return this.showMore(1);
    this.more = null;
    m.resolve(false);
  }

  /** Raw input from the terminal: keys go to the editor one at a time until one starts something (Enter, ?, Tab). */
  feed(data: string): void {
    for (const ch of data) {
      if (this.more !== null) {
        this.moreKey(ch);
        continue;
      }
      if (!this.busy) {
        this.editor.feed(ch);
        continue;
      }
      if (ch === "\u0003" || (this.caretSeen && (ch === "x" || ch === "X"))) {
        this.caretSeen = false;
        if (ch === "\u0003") this.io.write("^C");
        void this.session().interrupt();
        continue;
      }
      if (ch === CTRL_CARET) {
        this.caretSeen = true;
        continue;
      }
      this.caretSeen = false;
      this.held += ch;
    }
  }

  private replayHeld(): void {
    if (this.held === "" || this.busy) return;
    const keys = this.held;
    this.held = "";
    this.feed(keys);
  }

  private event(e: EditorEvent): void {
    const session = this.session();
    switch (e.kind) {
      case "line":
        if (!session.answering) this.editor.remember(e.text);
        this.busy = true;
        void session.handleLine(e.text).then((open) => {
          if (!open) this.onClose();
        });
        return;
      case "help":
        this.busy = true;
        void session.help(e.text);
        return;
      case "complete":
        this.busy = true;
        void session.complete(e.text).then((line) => {
          this.busy = false;
          if (line === e.text) this.io.write(BELL);
          else this.editor.replace(line + this.editor.text.slice(e.text.length));
          this.replayHeld();
        });
        return;
      case "interrupt":
        this.busy = true;
        void session.interrupt();
        return;
      case "ctrl-z":
        this.busy = true;
        void session.ctrlZ(e.text).then((open) => {
          if (!open) this.onClose();
        });
        return;
      case "eof":
        this.busy = true;
        this.io.write("\n");
        void session.finish().then(() => this.onClose());
        return;
    }
  }
}
