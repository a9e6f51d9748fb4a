// The console's line editor on a raw terminal, with IOS's keys: printable
// text, Backspace/Delete, arrows and Ctrl-B/F (move), Ctrl-A/E (start/end),
// Ctrl-U (erase to start), Ctrl-W (erase the word before the cursor), Ctrl-K
// (erase to end), Up/Down and Ctrl-P/N (history), Ctrl-R (search history
// backwards), `?` (help, answered at once), Tab (complete), Ctrl-C, Ctrl-Z and
// Ctrl-D. It turns keys into events for the console and redraws the line; it
// knows nothing of devices.

/** What the editor reports to the console. */
export type EditorEvent =
  | { readonly kind: "line"; readonly text: string }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "complete"; readonly text: string }
  | { readonly kind: "interrupt"; readonly text: string }
  | { readonly kind: "ctrl-z"; readonly text: string }
  | { readonly kind: "eof" };

/** Terminal bell. */
export const BELL = "\u0007";

/** One input line being edited, and the history of entered lines. */
export class LineEditor {
  private buffer = "";
  private cursor = 0;
  private prompt = "";
  private readonly history: string[] = [];
  private historyAt = 0;
  private draft = "";
  private search: { query: string; at: number } | null = null;
  private pendingEscape = "";

  constructor(
    private readonly write: (text: string) => void,
    private readonly emit: (e: EditorEvent) => void,
    private readonly historySize = 20,
  ) {}

  /** The lines entered so far, oldest first (`show history`). */
  get lines(): readonly string[] {
    return this.history;
  }

  /** The text typed so far. */
  get text(): string {
    return this.buffer;
  }

  /** Shows a prompt and starts a new line, optionally pre-filled (after `?`, the typed line comes back). */
  start(prompt: string, text = ""): void {
    this.prompt = prompt;
    this.buffer = text;
    this.cursor = text.length;
    this.historyAt = this.history.length;
    this.search = null;
    this.write(prompt + text);
  }

  /** Replaces the line (Tab completion) and redraws it. */
  replace(text: string): void {
    this.buffer = text;
    this.cursor = text.length;
    this.redraw();
  }

  /** Remembers an entered line (the console calls this for lines that went to a prompt, not to a dialog). */
  remember(line: string): void {
    if (line.trim() === "") return;
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    while (this.history.length > this.historySize) this.history.shift();
  }

  /** Feeds raw terminal input: one or more keys. */
  feed(data: string): void {
    let s = this.pendingEscape + data;
    this.pendingEscape = "";
    while (s.length > 0) {
      if (s[0] === "\u001b") {
        const body = s.slice(1);
        const m = body.startsWith("\u007f") ? ["\u007f"] : /^(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|[bfd])/.exec(body);
        if (m === null) {
          if (s.length < 4 && /^(\[[0-9;]*|O)?$/.test(body)) {
            this.pendingEscape = s;
            return;
          }
          s = body;
          continue;
        }
        this.escape(`\u001b${m[0]}`);
        s = body.slice(m[0].length);
        continue;
      }
      const ch = s[0]!;
      s = s.slice(1);
      this.key(ch);
    }
  }

  private escape(seq: string): void {
    if (this.search !== null) this.endSearch();
    switch (seq) {
      case "\u001b[D":
      case "\u001bOD":
        return this.move(this.cursor - 1);
      case "\u001b[C":
      case "\u001bOC":
        return this.move(this.cursor + 1);
      case "\u001b[A":
      case "\u001bOA":
        return this.historyStep(-1);
      case "\u001b[B":
      case "\u001bOB":
        return this.historyStep(1);
      case "\u001b[H":
      case "\u001bOH":
      case "\u001b[1~":
        return this.move(0);
      case "\u001b[F":
      case "\u001bOF":
      case "\u001b[4~":
        return this.move(this.buffer.length);
      case "\u001b[3~":
        return this.deleteAt(this.cursor);
      case "\u001bb":
        return this.move(this.wordStart());
      case "\u001bf":
        return this.move(this.wordEnd());
      case "\u001bd":
        return this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.wordEnd()), this.cursor);
      case "\u001b\u007f":
        return this.eraseWord();
    }
  }

  private key(ch: string): void {
    if (this.search !== null && this.searchKey(ch)) return;
    switch (ch) {
      case "\r":
      case "\n": {
        const text = this.buffer;
        this.write("\n");
        this.emit({ kind: "line", text });
        return;
      }
      case "?": {
        this.write("?\n");
        this.emit({ kind: "help", text: this.buffer.slice(0, this.cursor) });
        return;
      }
      case "\t":
        this.emit({ kind: "complete", text: this.buffer.slice(0, this.cursor) });
        return;
      case "\u0003":
        this.write("^C\n");
        this.emit({ kind: "interrupt", text: this.buffer });
        return;
      case "\u001a":
        this.write("^Z\n");
        this.emit({ kind: "ctrl-z", text: this.buffer });
        return;
      case "\u0004":
        if (this.buffer === "") {
          this.emit({ kind: "eof" });
          return;
        }
        return this.deleteAt(this.cursor);
      case "\u0001":
        return this.move(0);
      case "\u0005":
        return this.move(this.buffer.length);
      case "\u0002":
        return this.move(this.cursor - 1);
      case "\u0006":
        return this.move(this.cursor + 1);
      case "\u0010":
        return this.historyStep(-1);
      case "\u000e":
        return this.historyStep(1);
      case "\u0015":
        return this.edit(this.buffer.slice(this.cursor), 0);
      case "\u000b":
        return this.edit(this.buffer.slice(0, this.cursor), this.cursor);
      case "\u0017":
        return this.eraseWord();
      case "\u0012":
        this.search = { query: "", at: this.history.length };
        return this.drawSearch();
      case "\u000c":
        this.write("\n");
        return this.redraw();
      case "\u007f":
      case "\b":
        if (this.cursor === 0) return this.write(BELL);
        return this.edit(this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor), this.cursor - 1);
    }
    if (ch < " ") return;
    this.edit(this.buffer.slice(0, this.cursor) + ch + this.buffer.slice(this.cursor), this.cursor + ch.length);
  }

  /** Ctrl-R mode: typed text searches the history backwards; Ctrl-R again finds the next older match. */
  private searchKey(ch: string): boolean {
    const search = this.search!;
    if (ch === "\u0012") {
      this.findOlder(search.query, search.at - 1);
      return true;
    }
    if (ch === "\u007f" || ch === "\b") {
      search.query = search.query.slice(0, -1);
      this.drawSearch();
      return true;
    }
    if (ch === "\u0007" || ch === "\u0003") {
      this.search = null;
      this.redraw();
      return true;
    }
    if (ch >= " " && ch !== "?") {
      search.query += ch;
      this.findOlder(search.query, Math.min(search.at, this.history.length - 1));
      return true;
    }
    this.endSearch();
    return false;
  }

  private findOlder(query: string, from: number): void {
    const search = this.search!;
    for (let i = from; i >= 0; i--) {
      if (this.history[i]!.includes(query)) {
        search.at = i;
        this.buffer = this.history[i]!;
        this.cursor = this.buffer.length;
        return this.drawSearch();
      }
    }
    this.write(BELL);
    this.drawSearch();
  }

  private endSearch(): void {
    this.search = null;
    this.redraw();
  }

  private drawSearch(): void {
    const q = this.search!.query;
    this.write(`\r\u001b[K(reverse-i-search)'${q}': ${this.buffer}`);
  }

  private historyStep(delta: number): void {
    const at = this.historyAt + delta;
    if (at < 0 || at > this.history.length) return this.write(BELL);
    if (this.historyAt === this.history.length) this.draft = this.buffer;
    this.historyAt = at;
    const text = at === this.history.length ? this.draft : this.history[at]!;
    this.edit(text, text.length);
  }

  private wordStart(): number {
    let i = this.cursor;
    while (i > 0 && this.buffer[i - 1] === " ") i--;
    while (i > 0 && this.buffer[i - 1] !== " ") i--;
    return i;
  }

  private wordEnd(): number {
    let i = this.cursor;
    while (i < this.buffer.length && this.buffer[i] === " ") i++;
    while (i < this.buffer.length && this.buffer[i] !== " ") i++;
    return i;
  }

  private eraseWord(): void {
    const from = this.wordStart();
    this.edit(this.buffer.slice(0, from) + this.buffer.slice(this.cursor), from);
  }

  private deleteAt(at: number): void {
    if (at >= this.buffer.length) return this.write(BELL);
    this.edit(this.buffer.slice(0, at) + this.buffer.slice(at + 1), at);
  }

  private move(to: number): void {
    if (to < 0 || to > this.buffer.length) return this.write(BELL);
    this.cursor = to;
    this.redraw();
  }

  private edit(text: string, cursor: number): void {
    this.buffer = text;
    this.cursor = cursor;
    this.redraw();
  }

  /** Redraws prompt and line on the current terminal row and puts the cursor in place. */
  private redraw(): void {
    const back = this.buffer.length - this.cursor;
    this.write(`\r\u001b[K${this.prompt}${this.buffer}${back > 0 ? `\u001b[${back}D` : ""}`);
  }
}
