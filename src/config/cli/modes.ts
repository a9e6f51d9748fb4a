/**
 * The IOS mode tree and a CLI session over it.
 *
 * A device kind builds one CommandTable (compiled once, shared by every device of
 * that kind) and registers its command specs per mode with handlers; each device
 * gets a CliSession that carries the mode stack and the device's own context `D`.
 * Modes: user exec (`R1>`), privileged exec (`R1#`, which also has the user
 * commands), global config (`R1(config)#`) and config sub-modes (`config-if`,
 * `config-subif`, `config-router`, `config-ext-nacl`, `config-std-nacl`, plus any a
 * device defines, such as `config-isakmp` or `config-crypto-map`).
 * IOS semantics kept here: a line that does not parse in a sub-mode is tried in the
 * parent modes, and if one takes it the session leaves the sub-mode (how config
 * files load); `exit` goes up one level, `end` or Ctrl-Z back to exec, `do <exec
 * command>` works in every config mode, `!` lines and blank lines are comments,
 * leading whitespace is ignored, and exec commands take `| include` style filters.
 * Dialogs: a handler may ask a question (`session.ask(prompt, answer)`); the prompt
 * becomes the question and the next input line goes to `answer` instead of the
 * parser, which may ask the next question (IOS's `[confirm]`, the extended ping).
 * Leaving configuration mode for exec (`end`, `exit`, Ctrl-Z) is reported through
 * `onConfigEnd` (IOS logs %SYS-5-CONFIG_I there); loading a config file is not.
 * A device kind that does not look like IOS at its prompt (a Windows or Linux host) gives its table a
 * prompt function, and may drop IOS's exec built-ins (`configure terminal`, `enable`, `disable`).
 * Nothing here throws on user input: a handler that throws is reported as an error.
 */

import type { Args } from "./grammar.ts";
import {
  type CliError,
  type CompiledSpec,
  compileSpec,
  formatCliError,
  INVALID_INPUT,
  type MatchResult,
  matchLine,
  type PrefixForm,
  type SpecSyntax,
  tokenize,
} from "./match.ts";
import { applyOutputFilter, findPipe, parseOutputFilter } from "./output-filter.ts";

/** Whether a mode is an exec level or a configuration mode. */
export type ModeKind = "exec" | "config";

/** A mode of the tree. `prompt` is the text IOS shows: `>`/`#` for exec, the suffix in `R1(config-if)#` otherwise. */
export interface ModeDef {
  readonly id: string;
  readonly kind: ModeKind;
  readonly parent: string | null;
  readonly prompt: string;
  /** Modes whose commands are also valid here (privileged exec includes user exec). */
  readonly includes: readonly string[];
}

/** One level of the session's mode stack; `data` is what the entering command stored (e.g. the interface name). */
export interface ModeFrame {
  readonly mode: string;
  readonly data: unknown;
}

/** What a handler gets besides the args. */
export interface CommandContext<D> {
  readonly device: D;
  readonly session: CliSession<D>;
  readonly negated: boolean;
  readonly defaulted: boolean;
  /** The mode the command matched in (after any fall-through to a parent mode). */
  readonly mode: string;
  /** The data of that mode's frame (e.g. `{ interface: "GigabitEthernet0/0" }`). */
  readonly data: unknown;
  /** The mode stack, outermost first, ending with the frame of `mode`. */
  readonly frames: readonly ModeFrame[];
  /** The raw command line. */
  readonly line: string;
  /** Enters a sub-mode after the handler returns (unless it returns an error). */
  enter(mode: string, data?: unknown): void;
}

/** Output text (a string starting with `%` is an error, printed as IOS prints it), or a structured error. */
export type HandlerResult = string | void | { readonly error: CliError } | HandlerNotice;

/** Output that starts with `%` but is no error: IOS's informational lines (`% Only classful networks ...`). */
export interface HandlerNotice {
  readonly notice: string;
}

/** A command handler. */
export type Handler<D> = (args: Args, ctx: CommandContext<D>) => HandlerResult;

/** What a dialog does with the line typed after its question: output, an error, or nothing. */
export type Answer = (reply: string) => HandlerResult;

/** A command a device registers in a mode. */
export interface CommandSpec<D> extends SpecSyntax {
  /** Grammar, see grammar.ts: `ip address A.B.C.D:address A.B.C.D:mask [secondary]`. */
  readonly syntax: string;
  /** `no` form: true = same syntax, a string = its own syntax (without the `no`). */
  readonly no?: PrefixForm;
  /** `default` form, as for `no`. */
  readonly default?: PrefixForm;
  /** Sub-mode entered on success, with the args as frame data (unless the handler called `enter`). */
  readonly enters?: string;
  /** One-line help, as `?` would show it. */
  readonly help?: string;
  readonly handler?: Handler<D>;
}

/** Result of one interactive line. */
export interface ExecuteResult {
  /** Everything IOS would print for the line (command output and/or error). */
  readonly output: string;
  /** The prompt after the line, e.g. `R1(config-if)#`. */
  readonly prompt: string;
  readonly error?: CliError;
}

/** A config line that did not load; `message` holds the echoed line, the caret line and the `%` message. */
export interface LoadError {
  readonly line: number;
  readonly text: string;
  readonly message: string;
  readonly error: CliError;
}

/** Options of a session. */
export interface SessionOptions<D> {
  readonly device: D;
  /** Read at every prompt, so a `hostname` command shows at once. */
  readonly hostname: () => string;
  /** Start in privileged exec (`R1#`) rather than user exec (`R1>`). */
  readonly privileged?: boolean;
  /** Called when an interactive session leaves configuration mode for exec (not while a config file loads). */
  readonly onConfigEnd?: () => void;
}

const CONFIG_BANNER = "Enter configuration commands, one per line.  End with CNTL/Z.";

/** How a device kind's table differs from IOS's: its prompt, and whether it has IOS's exec built-ins. */
export interface CommandTableOptions {
  /**
   * The prompt of a mode, for a device that does not look like IOS there (a host's `C:\>`); undefined
   * keeps IOS's (`R1#`, `R1(config-if)#`).
   */
  readonly prompt?: (hostname: string, mode: ModeDef) => string | undefined;
  /**
   * False for a device configured at its own prompt (a Linux shell): exec then has no `configure
   * terminal`, `enable` or `disable`, only `exit` and `logout`; config mode stays for its config file.
   */
  readonly iosExec?: boolean;
}

/** The modes every IOS device has; devices add their own with `defineMode`. */
export const STANDARD_MODES: readonly ModeDef[] = [
  { id: "user", kind: "exec", parent: null, prompt: ">", includes: [] },
  { id: "exec", kind: "exec", parent: null, prompt: "#", includes: ["user"] },
  { id: "config", kind: "config", parent: "exec", prompt: "config", includes: [] },
  { id: "config-if", kind: "config", parent: "config", prompt: "config-if", includes: [] },
  { id: "config-subif", kind: "config", parent: "config", prompt: "config-subif", includes: [] },
  { id: "config-router", kind: "config", parent: "config", prompt: "config-router", includes: [] },
  { id: "config-ext-nacl", kind: "config", parent: "config", prompt: "config-ext-nacl", includes: [] },
  { id: "config-std-nacl", kind: "config", parent: "config", prompt: "config-std-nacl", includes: [] },
];

type Compiled<D> = CompiledSpec<CommandSpec<D>>;

/** The commands of one device kind, per mode; compile once, share across sessions. */
export class CommandTable<D> {
  private readonly modes = new Map<string, ModeDef>();
  private readonly specs = new Map<string, Compiled<D>[]>();
  private readonly cache = new Map<string, Compiled<D>[]>();
  private readonly builtins: {
    readonly exec: Compiled<D>[];
    readonly user: Compiled<D>[];
    readonly config: Compiled<D>[];
  };

  constructor(readonly options: CommandTableOptions = {}) {
    for (const m of STANDARD_MODES) this.modes.set(m.id, m);
    const ios = options.iosExec ?? true;
    this.builtins = {
      user: [
        ...(ios
          ? [
              compileSpec<CommandSpec<D>>({ syntax: "enable", handler: (_a, ctx) => ctx.session.setPrivileged(true) }),
              compileSpec<CommandSpec<D>>({
                syntax: "disable",
                handler: (_a, ctx) => ctx.session.setPrivileged(false),
              }),
            ]
          : []),
        compileSpec<CommandSpec<D>>({ syntax: "exit", handler: (_a, ctx) => ctx.session.close() }),
        compileSpec<CommandSpec<D>>({ syntax: "logout", handler: (_a, ctx) => ctx.session.close() }),
      ],
      exec: ios
        ? [
            compileSpec<CommandSpec<D>>({
              syntax: "configure terminal",
              handler: (_a, ctx) => {
                ctx.enter("config");
                return CONFIG_BANNER;
              },
            }),
          ]
        : [],
      config: [
        compileSpec<CommandSpec<D>>({ syntax: "exit", handler: (_a, ctx) => ctx.session.exitMode() }),
        compileSpec<CommandSpec<D>>({ syntax: "end", handler: (_a, ctx) => ctx.session.end() }),
        compileSpec<CommandSpec<D>>({
          syntax: "do LINE",
          handler: (_a, ctx) => {
            const from = tokenize(ctx.line)[1]?.column ?? ctx.line.length;
            return ctx.session.runExec(ctx.line, from);
          },
        }),
      ],
    };
  }

  /** Adds a config sub-mode: `defineMode("config-isakmp")`, `defineMode("config-pmap-c", { parent: "config-pmap" })`. */
  defineMode(id: string, options: { parent?: string; prompt?: string } = {}): this {
    const parent = options.parent ?? "config";
    if (!this.modes.has(parent)) throw new Error(`cli: unknown parent mode ${parent}`);
    this.modes.set(id, { id, kind: "config", parent, prompt: options.prompt ?? id, includes: [] });
    this.cache.clear();
    return this;
  }

  /** Every mode id, the standard ones first, then those defined in order. */
  modeIds(): string[] {
    return [...this.modes.keys()];
  }

  /** The definition of a mode, if it exists. */
  mode(id: string): ModeDef | undefined {
    return this.modes.get(id);
  }

  /** Registers commands in a mode (throws on an unknown mode or a malformed syntax). */
  add(mode: string, ...specs: CommandSpec<D>[]): this {
    if (!this.modes.has(mode)) throw new Error(`cli: unknown mode ${mode}`);
    const list = this.specs.get(mode) ?? [];
    for (const s of specs) list.push(compileSpec(s));
    this.specs.set(mode, list);
    this.cache.clear();
    return this;
  }

  /** All specs valid in a mode: the device's, those of included modes, then the built-ins. */
  compiled(mode: string): readonly Compiled<D>[] {
    const hit = this.cache.get(mode);
    if (hit) return hit;
    const def = this.modes.get(mode);
    const out: Compiled<D>[] = [];
    if (def) {
      out.push(...(this.specs.get(mode) ?? []));
      for (const inc of def.includes) out.push(...(this.specs.get(inc) ?? []));
      if (def.kind === "config") out.push(...this.builtins.config);
      else {
        if (mode === "exec") out.push(...this.builtins.exec);
        out.push(...this.builtins.user);
      }
    }
    this.cache.set(mode, out);
    return out;
  }
}

/** True when a handler result is an error (`% ...`). */
export function isErrorOutput(text: string): boolean {
  return text.trimStart().startsWith("%");
}

interface LineOutcome {
  readonly output: string;
  readonly error?: CliError;
}

/** One CLI session on one device: the mode stack plus execute / loadConfig. */
export class CliSession<D> {
  private frames: ModeFrame[];
  private closedFlag = false;
  private question: { readonly prompt: string; readonly answer: Answer } | null = null;
  // While a line runs or a file loads, leaving config mode is reported once at the end (or not at all).
  private busy = 0;

  constructor(
    readonly table: CommandTable<D>,
    private readonly options: SessionOptions<D>,
  ) {
    this.frames = [{ mode: options.privileged ? "exec" : "user", data: undefined }];
  }

  /** The current mode id. */
  get mode(): string {
    return this.top.mode;
  }

  /** The current mode stack, outermost first. */
  get stack(): readonly ModeFrame[] {
    return this.frames;
  }

  /** True after `exit`/`logout` in exec. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** The prompt IOS shows now: `R1>`, `R1#`, `R1(config-if)#`, or the question of a dialog. */
  get prompt(): string {
    if (this.question !== null) return this.question.prompt;
    const host = this.options.hostname();
    const def = this.table.mode(this.mode);
    const own = def === undefined ? undefined : this.table.options.prompt?.(host, def);
    if (own !== undefined) return own;
    if (!def || def.kind === "exec") return host + (def?.prompt ?? "#");
    return `${host}(${def.prompt})#`;
  }

  private get top(): ModeFrame {
    return this.frames[this.frames.length - 1] ?? { mode: "exec", data: undefined };
  }

  /** The question a dialog is waiting on, or null. */
  get pendingQuestion(): string | null {
    return this.question?.prompt ?? null;
  }

  /** Asks a question: the prompt becomes `prompt` and the next line goes to `answer` (which may ask again). */
  ask(prompt: string, answer: Answer): void {
    this.question = { prompt, answer };
  }

  /** Drops a pending question without answering it (Ctrl-C in a dialog). */
  cancelQuestion(): void {
    this.question = null;
  }

  /** Runs one interactive line; returns what IOS prints and the new prompt. */
  execute(line: string): ExecuteResult {
    const indent = this.prompt.length;
    const wasConfig = this.inConfig();
    this.busy++;
    let r: LineOutcome;
    try {
      r = this.question !== null ? this.runAnswer(line) : this.runLine(line);
    } finally {
      this.busy--;
    }
    if (wasConfig && !this.inConfig() && this.busy === 0) this.options.onConfigEnd?.();
    const errorText = r.error ? `${formatCliError(line, r.error, { indent })}\n` : "";
    const output = r.output + errorText;
    return r.error ? { output, prompt: this.prompt, error: r.error } : { output, prompt: this.prompt };
  }

  /** Loads a config file from global config mode; every valid line applies, each bad line is reported. */
  loadConfig(text: string): LoadError[] {
    const saved = this.frames;
    const wasClosed = this.closedFlag;
    const savedQuestion = this.question;
    const errors: LoadError[] = [];
    this.busy++;
    this.frames = [
      { mode: "exec", data: undefined },
      { mode: "config", data: undefined },
    ];
    text.split("\n").forEach((raw, i) => {
      const line = raw.replace(/\r$/, "");
      if (this.table.mode(this.mode)?.kind !== "config") {
        this.frames = [
          { mode: "exec", data: undefined },
          { mode: "config", data: undefined },
        ];
      }
      const r = this.runLine(line);
      this.question = null; // a config file answers no questions
      if (r.error)
        errors.push({
          line: i + 1,
          text: line,
          message: formatCliError(line, r.error, { echo: true }),
          error: r.error,
        });
    });
    this.frames = saved;
    this.closedFlag = wasClosed;
    this.question = savedQuestion;
    this.busy--;
    return errors;
  }

  /** Leaves the current mode one level (config -> exec). Used by the `exit` built-in. */
  exitMode(): void {
    if (this.frames.length > 1) this.frames = this.frames.slice(0, -1);
  }

  /** Returns to privileged exec. Used by `end` and Ctrl-Z (called from outside a line, it reports leaving config). */
  end(): void {
    const wasConfig = this.inConfig();
    this.frames = [{ mode: "exec", data: undefined }];
    if (wasConfig && this.busy === 0) this.options.onConfigEnd?.();
  }

  private inConfig(): boolean {
    return this.table.mode(this.mode)?.kind === "config";
  }

  /** Hands a line to the pending question's answer. */
  private runAnswer(line: string): LineOutcome {
    const q = this.question!;
    this.question = null;
    let result: HandlerResult;
    try {
      result = q.answer(line.replace(/\r$/, ""));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { output: "", error: { kind: "handler", message: `% Internal error: ${message}` } };
    }
    if (typeof result === "object")
      return "error" in result ? { output: "", error: result.error } : { output: `${result.notice}\n` };
    const text = typeof result === "string" ? result : "";
    return { output: text === "" || text.endsWith("\n") ? text : `${text}\n` };
  }

  /** Switches between user and privileged exec (`enable` / `disable`). */
  setPrivileged(privileged: boolean): void {
    this.frames = [{ mode: privileged ? "exec" : "user", data: undefined }];
  }

  /** Marks the session closed (`exit` / `logout` in exec). */
  close(): void {
    this.closedFlag = true;
  }

  /** Runs `line` from column `from` as a privileged exec command with output filters; used by `do`. */
  runExec(line: string, from: number): HandlerResult {
    const r = this.runExecLine(line, from);
    return r.error ? { error: r.error } : r.output;
  }

  private runLine(rawLine: string): LineOutcome {
    const ctrlZ = rawLine.indexOf("\x1a");
    const line = ctrlZ >= 0 ? rawLine.slice(0, ctrlZ) : rawLine;
    const trimmed = line.trim();
    let outcome: LineOutcome = { output: "" };
    if (trimmed !== "" && !trimmed.startsWith("!")) {
      const def = this.table.mode(this.mode);
      outcome = def?.kind === "exec" ? this.runExecLine(line, 0, this.mode) : this.runConfigLine(line);
    }
    if (ctrlZ >= 0 && this.table.mode(this.mode)?.kind === "config") this.end();
    return outcome;
  }

  private runExecLine(line: string, from: number, mode = "exec"): LineOutcome {
    const specs = this.table.compiled(mode);
    const pipe = findPipe(line.slice(from));
    if (pipe >= 0) {
      const at = from + pipe;
      const left = matchLine(specs, line.slice(0, at), from);
      const whole = left.ok ? left : matchLine(specs, line, from);
      if (left.ok) {
        const filter = parseOutputFilter(line, at + 1);
        if (!filter.ok) return { output: "", error: filter.error };
        const r = this.invoke(left, line, this.frames.length - 1);
        return r.error ? r : { output: applyOutputFilter(r.output, filter.filter) };
      }
      if (whole.ok) return this.invoke(whole, line, this.frames.length - 1);
      return { output: "", error: left.error };
    }
    const m = matchLine(specs, line, from);
    if (!m.ok) return { output: "", error: m.error };
    return this.invoke(m, line, this.frames.length - 1);
  }

  private runConfigLine(line: string): LineOutcome {
    let best: { error: CliError; progress: number } | undefined;
    for (let depth = this.frames.length - 1; depth >= 0; depth--) {
      const frame = this.frames[depth];
      const def = frame ? this.table.mode(frame.mode) : undefined;
      if (!frame || !def || def.kind !== "config") break;
      const m = matchLine(this.table.compiled(frame.mode), line);
      if (m.ok) return this.invoke(m, line, depth);
      if (!best || m.progress > best.progress) best = { error: m.error, progress: m.progress };
    }
    return { output: "", error: best?.error ?? { kind: "invalid", column: 0, message: INVALID_INPUT } };
  }

  /** Pops to `depth`, runs the handler, applies any sub-mode entry. */
  private invoke(m: MatchResult<CommandSpec<D>> & { ok: true }, line: string, depth: number): LineOutcome {
    this.frames = this.frames.slice(0, depth + 1);
    const frame = this.top;
    let entered: ModeFrame | undefined;
    const ctx: CommandContext<D> = {
      device: this.options.device,
      session: this,
      negated: m.negated,
      defaulted: m.defaulted,
      mode: frame.mode,
      data: frame.data,
      frames: this.frames.slice(),
      line,
      enter: (mode, data) => {
        entered = { mode, data };
      },
    };
    let result: HandlerResult;
    try {
      result = m.spec.handler?.(m.args, ctx);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { output: "", error: { kind: "handler", message: `% Internal error: ${message}` } };
    }
    if (typeof result === "object" && "error" in result) return { output: "", error: result.error };
    const notice = typeof result === "object" ? result.notice : undefined;
    const text = typeof result === "string" ? result : (notice ?? "");
    if (notice === undefined && text !== "" && isErrorOutput(text))
      return { output: "", error: { kind: "handler", message: text.trimEnd() } };
    if (!entered && m.spec.enters && !m.negated && !m.defaulted) entered = { mode: m.spec.enters, data: m.args };
    if (entered) this.enterMode(entered);
    return { output: text === "" || text.endsWith("\n") ? text : `${text}\n` };
  }

  private enterMode(frame: ModeFrame): void {
    const def = this.table.mode(frame.mode);
    if (!def) return;
    const parentAt = def.parent === null ? -1 : this.frames.map((f) => f.mode).lastIndexOf(def.parent);
    this.frames = [...(parentAt >= 0 ? this.frames.slice(0, parentAt + 1) : this.frames), frame];
  }
}
