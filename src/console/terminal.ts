// The console on a real terminal: stdin in raw mode, keys through the line
// editor, and the session's answers written back. While a command runs, keys
// are held (IOS's type-ahead) except the escape sequences that abort it:
// Ctrl-C, and Ctrl-^ (Ctrl-Shift-6) followed by x. `?` and Tab go to the
// device at once; the editor redraws the line afterwards.

import type { ConsoleSession } from "./console-session.ts";
import { BELL, type EditorEvent, LineEditor } from "./line-editor.ts";

/** The terminal a console runs on. */
export interface TerminalIO {
  write(text: string): void;
}

/** Ctrl-^ (Ctrl-Shift-6), the first key of IOS's escape sequence. */
const CTRL_CARET = "\u001e";

/** Drives a ConsoleSession from raw keystrokes. */
export class TerminalConsole {
  readonly editor: LineEditor;
  private busy = false;
  private held = "";
  private caretSeen = false;

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

  /** Raw input from the terminal: keys go to the editor one at a time until one starts something (Enter, ?, Tab). */
  feed(data: string): void {
    for (const ch of data) {
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
