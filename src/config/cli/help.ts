/**
 * IOS context help (`?`) and Tab completion, generated from the same compiled
 * specs and the same token walk the parser uses (match.ts), so help never
 * offers what the parser refuses nor hides what it accepts.
 *
 * `show ?` (a space before `?`) lists what may come next in two columns, values
 * first, keywords in alphabetical order, `<cr>` last when the line is already a
 * command; `sh ip ro?` (no space) lists the keywords the partial word begins;
 * a line that went wrong before the `?` gets IOS's caret and message. Tab
 * completes a partial word that begins exactly one keyword (or interface type)
 * and otherwise leaves the line alone (the terminal rings the bell).
 *
 * Help text lives in a registry per command table and mode, keyed by the
 * command's leading keywords (`show ip route`) and, for the words after them,
 * the leading keywords plus the word (`ping repeat`) or the value's argument
 * name in angle brackets (`ping <repeat>`, `ip route <prefix>`). A spec's own
 * `help` describes its last leading keyword when the registry has no entry.
 */

import type { SyntaxNode, Token } from "./grammar.ts";
import { INTERFACE_TYPES } from "./interface-name.ts";
import {
  type CompiledSpec,
  formatCliError,
  INVALID_INPUT,
  isPrefixKeyword,
  type SpecSyntax,
  tokenize,
  type WalkState,
  walkLine,
} from "./match.ts";
import { findPipe } from "./output-filter.ts";

/** One row of two-column help. */
export interface HelpEntry {
  readonly token: string;
  readonly help: string;
}

/** A spec as help needs it: its syntax and optional one-line help. */
export interface HelpSpec extends SpecSyntax {
  readonly help?: string;
}

/** Help texts of one command table, per mode id (`exec` also serves user exec). */
export type HelpRegistry = Map<string, Map<string, string>>;

const registries = new WeakMap<object, HelpRegistry>();

/** The registry of a command table (created on first use). */
export function helpRegistry(table: object): HelpRegistry {
  let r = registries.get(table);
  if (r === undefined) {
    r = new Map();
    registries.set(table, r);
  }
  return r;
}

/** Adds help texts for commands of `modes` (keys as described in the header). */
export function describeCommands(
  table: object,
  modes: string | readonly string[],
  entries: Readonly<Record<string, string>>,
): void {
  const registry = helpRegistry(table);
  for (const mode of typeof modes === "string" ? [modes] : modes) {
    const m = registry.get(mode) ?? new Map<string, string>();
    for (const [k, v] of Object.entries(entries)) m.set(k, v);
    registry.set(mode, m);
  }
}

/** Help of the words every mode has: the built-ins and the `no`/`default` prefixes. */
const BUILTIN_HELP: Readonly<Record<string, string>> = {
  no: "Negate a command or set its defaults",
  default: "Set a command to its defaults",
  enable: "Turn on privileged commands",
  disable: "Turn off privileged commands",
  exit: "Exit from the EXEC",
  logout: "Exit from the EXEC",
  configure: "Enter configuration mode",
  "configure terminal": "Configure from the terminal",
  "config:exit": "Exit from configure mode",
  end: "Exit from configure mode",
  do: "To run exec commands in config mode",
  "do <do>": "Exec Command",
};

/** IOS's help for the interface types (`interface ?`). */
const INTERFACE_HELP: Readonly<Record<string, string>> = {
  Async: "Async interface",
  ATM: "ATM interface",
  BVI: "Bridge-Group Virtual Interface",
  Cellular: "Cellular interface",
  Dialer: "Dialer interface",
  Ethernet: "IEEE 802.3",
  FastEthernet: "FastEthernet IEEE 802.3",
  GigabitEthernet: "GigabitEthernet IEEE 802.3z",
  Loopback: "Loopback interface",
  Multilink: "Multilink-group interface",
  Null: "Null interface",
  "Port-channel": "Ethernet Channel of interfaces",
  Serial: "Serial",
  TenGigabitEthernet: "Ten Gigabit Ethernet",
  Tunnel: "Tunnel interface",
  "Virtual-Access": "Virtual Access interface",
  "Virtual-Template": "Virtual Template interface",
  Vlan: "Catalyst Vlans",
};

/** The output modifiers after `|`. */
const FILTER_HELP: readonly HelpEntry[] = [
  { token: "begin", help: "Begin with the line that matches" },
  { token: "count", help: "Count number of lines which match regexp" },
  { token: "exclude", help: "Exclude lines that match" },
  { token: "include", help: "Include lines that match" },
  { token: "section", help: "Filter a section of output" },
];

/** How IOS shows a value token in help. */
export function tokenLabel(token: Exclude<Token, { kind: "keyword" }>): string {
  switch (token.kind) {
    case "ipv4":
      return "A.B.C.D";
    case "prefix":
      return "A.B.C.D/nn";
    case "range":
      return `<${token.lo}-${token.hi}>`;
    case "word":
      return "WORD";
    case "line":
      return "LINE";
    case "interface":
      return "INTERFACE";
  }
}

/** The keywords a syntax starts with, as nodes (their identity tells a leading keyword from a later one). */
function leadingNodes(root: SyntaxNode): SyntaxNode[] {
  if (root.type === "token") return root.token.kind === "keyword" ? [root] : [];
  if (root.type !== "seq") return [];
  const out: SyntaxNode[] = [];
  for (const item of root.items) {
    if (item.type !== "token" || item.token.kind !== "keyword") break;
    out.push(item);
  }
  return out;
}

const words = (nodes: readonly SyntaxNode[]): string[] =>
  nodes.map((n) => (n.type === "token" && n.token.kind === "keyword" ? n.token.word : ""));

/**
 * Where a token's help is looked up: the registry key, and the spec's own help if it is the last leading keyword.
 * `exact` names the token by every keyword before it on its path (`show ip access-lists` inside `show {access-lists
 * | ip access-lists}`); a registry entry under it wins over `key`.
 */
export interface HelpKey {
  readonly key: string;
  readonly own?: string;
  readonly exact?: string;
}

/** The keywords on the way from `node` down to `target` (those of the sequences it goes through), or undefined. */
function keywordsBefore(node: SyntaxNode, target: SyntaxNode, before: readonly string[] = []): string[] | undefined {
  if (node === target) return [...before];
  switch (node.type) {
    case "token":
      return undefined;
    case "seq": {
      let path = before;
      for (const item of node.items) {
        const found = keywordsBefore(item, target, path);
        if (found !== undefined) return found;
        if (item.type === "token" && item.token.kind === "keyword") path = [...path, item.token.word];
      }
      return undefined;
    }
    case "choice":
    case "anyorder":
      for (const alt of node.type === "choice" ? node.alts : node.options) {
        const found = keywordsBefore(alt, target, before);
        if (found !== undefined) return found;
      }
      return undefined;
    case "optional":
    case "named":
      return keywordsBefore(node.body, target, before);
  }
}

/** The registry key of a token of a spec's syntax `root` (the spec's, or its `no`/`default` form's). */
export function helpKeyFor<S extends HelpSpec>(
  compiled: CompiledSpec<S>,
  root: SyntaxNode,
  node: SyntaxNode & { type: "token" },
): HelpKey {
  const leading = leadingNodes(root);
  const path = words(leading);
  const j = leading.indexOf(node);
  if (j >= 0) {
    const key = path.slice(0, j + 1).join(" ");
    return j === leading.length - 1 && compiled.spec.help !== undefined ? { key, own: compiled.spec.help } : { key };
  }
  const last = node.token.kind === "keyword" ? node.token.word : `<${node.argName || node.token.kind}>`;
  const key = [...path, last].join(" ");
  const before = keywordsBefore(root, node);
  const exact = before === undefined ? key : [...before, last].join(" ");
  return exact === key ? { key } : { key, exact };
}

/** The help registered for a token's key (the exact path first), else the spec's own. */
function helpOf(registry: HelpRegistry, mode: string, k: HelpKey): string | undefined {
  return (
    (k.exact === undefined ? undefined : lookupHelp(registry, mode, k.exact)) ??
    lookupHelp(registry, mode, k.key) ??
    k.own
  );
}

/** The syntax a state walks: the spec's own, or its `no` / `default` form. */
function rootOf<S extends HelpSpec>(compiled: CompiledSpec<S>, state: WalkState): SyntaxNode | undefined {
  return state.negated ? compiled.noRoot : state.defaulted ? compiled.defaultRoot : compiled.root;
}

/** Looks a key up for a mode (user exec shares exec's texts), then in the built-ins. */
export function lookupHelp(registry: HelpRegistry | undefined, mode: string, key: string): string | undefined {
  const m = registry?.get(mode === "user" ? "exec" : mode);
  return m?.get(key) ?? (mode.startsWith("config") ? BUILTIN_HELP[`config:${key}`] : undefined) ?? BUILTIN_HELP[key];
}

/** The help text of the token a state waits for, or undefined if none is registered. */
export function tokenHelp<S extends HelpSpec>(
  table: object,
  mode: string,
  compiled: CompiledSpec<S>,
  state: WalkState,
): string | undefined {
  const rest = state.rest;
  if (rest === null || rest.node.type !== "token") return undefined;
  const node = rest.node;
  if (isPrefixKeyword(node) && node.token.kind === "keyword") return BUILTIN_HELP[node.token.word];
  const root = rootOf(compiled, state);
  if (root === undefined) return BUILTIN_HELP[node.token.kind === "keyword" ? node.token.word : ""];
  return helpOf(helpRegistry(table), mode, helpKeyFor(compiled, root, node));
}

/** What may follow the tokens a walk consumed: help entries (values first, keywords sorted, `<cr>` last). */
function nextEntries<S extends HelpSpec>(
  table: object,
  mode: string,
  specs: readonly CompiledSpec<S>[],
  states: readonly WalkState[],
  pipeAllowed: boolean,
): HelpEntry[] {
  const values: HelpEntry[] = [];
  const keywords = new Map<string, string>();
  let complete = false;
  let pipe = false;
  const seen = new Set<string>();
  for (const s of states) {
    if (s.rest === null) {
      complete = true;
      // Output modifiers follow the commands that print tables and text: show and more.
      const root = specs[s.specIndex]?.root;
      const first = root === undefined ? undefined : leadingNodes(root)[0];
      if (pipeAllowed && first?.type === "token" && first.token.kind === "keyword" && first.token.word === "show")
        pipe = true;
      continue;
    }
    if (s.rest.node.type !== "token") continue;
    const token = s.rest.node.token;
    const compiled = specs[s.specIndex];
    if (compiled === undefined) continue;
    const help = tokenHelp(table, mode, compiled, s) ?? "";
    if (token.kind === "keyword") {
      if (!keywords.has(token.word) || keywords.get(token.word) === "") keywords.set(token.word, help);
    } else if (token.kind === "interface") {
      for (const t of INTERFACE_TYPES)
        if (!keywords.has(t.full)) keywords.set(t.full, INTERFACE_HELP[t.full] ?? `${t.full} interface`);
    } else {
      const label = tokenLabel(token);
      if (seen.has(label)) continue;
      seen.add(label);
      values.push({ token: label, help });
    }
  }
  const sorted = [...keywords.entries()]
    .sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .map(([token, help]) => ({ token, help }));
  const out = [...values, ...sorted];
  if (pipe) out.push({ token: "|", help: "Output modifiers" });
  if (complete) out.push({ token: "<cr>", help: "" });
  return out;
}

/** Two columns as IOS prints them: two spaces, the token padded to the widest, two spaces, the help (wrapped when too long). */
export function formatHelpColumns(entries: readonly HelpEntry[], width = 80): string {
  const tokenWidth = Math.max(0, ...entries.map((e) => e.token.length));
  const indent = 2 + tokenWidth + 2;
  let text = "";
  for (const e of entries) {
    if (e.help === "") {
      text += `  ${e.token}\n`;
      continue;
    }
    let line = `  ${e.token.padEnd(tokenWidth)}  `;
    // A help that fits keeps its spacing (IOS aligns `(severity=N)` in the logging levels' help).
    if (indent + e.help.length <= width) {
      text += `${line}${e.help}\n`;
      continue;
    }
    let used = indent;
    let first = true;
    for (const word of e.help.split(/\s+/)) {
      if (!first && used + 1 + word.length > width) {
        text += `${line}\n`;
        line = " ".repeat(indent) + word;
        used = indent + word.length;
        continue;
      }
      line += first ? word : ` ${word}`;
      used += (first ? 0 : 1) + word.length;
      first = false;
    }
    text += `${line}\n`;
  }
  return text;
}

/** Words side by side, as IOS lists the completions of a partial word (`route  rpf  rsvp`). */
export function formatHelpWords(list: readonly string[], width = 80): string {
  const col = Math.max(...list.map((w) => w.length)) + 2;
  const perLine = Math.max(1, Math.floor(width / col));
  let text = "";
  list.forEach((w, i) => {
    text += w.padEnd(col);
    if ((i + 1) % perLine === 0 || i === list.length - 1) text += "\n";
  });
  return text;
}

/** The context a help or completion request runs in. */
export interface HelpContext<S extends HelpSpec> {
  /** The command table (the registry's key). */
  readonly table: object;
  /** The mode the line is typed in. */
  readonly mode: string;
  /** True for exec modes (`|` modifiers, no `do`). */
  readonly exec: boolean;
  /** The specs valid in the mode. */
  readonly specs: readonly CompiledSpec<S>[];
  /** The exec specs (for `do` in config modes). */
  readonly execSpecs: readonly CompiledSpec<S>[];
  /** Length of the prompt (caret indentation). */
  readonly promptLength: number;
}

/** Where the `do` of a config line ends, or -1 if the line is no `do` line. */
function doOffset(line: string): number {
  const t = tokenize(line);
  return t[0]?.text.toLowerCase() === "do" && t.length >= 1 && /^\s*do\s/i.test(line)
    ? (t[1]?.column ?? line.length)
    : -1;
}

/** The answer to `?` typed after `line` (the text before the `?`). */
export function contextHelp<S extends HelpSpec>(ctx: HelpContext<S>, line: string): string {
  let specs = ctx.specs;
  let mode = ctx.mode;
  let exec = ctx.exec;
  let from = 0;
  if (!exec) {
    const at = doOffset(line);
    if (at >= 0) {
      specs = ctx.execSpecs;
      mode = "exec";
      exec = true;
      from = at;
    }
  }
  const partial = line.length > from && !/\s$/.test(line);
  const pipe = exec ? findPipe(line.slice(from)) : -1;
  if (pipe >= 0) {
    const after = line.slice(from + pipe + 1);
    const words = tokenize(after);
    if (words.length === 0) return formatHelpColumns(FILTER_HELP);
    if (words.length === 1 && partial) {
      const hits = FILTER_HELP.filter((f) => f.token.startsWith(words[0]!.text.toLowerCase())).map((f) => f.token);
      return hits.length > 0 ? formatHelpWords(hits) : "% Unrecognized command\n";
    }
    return formatHelpColumns([{ token: "LINE", help: "Regular Expression" }]);
  }
  const walk = walkLine(specs, line, from);
  const n = walk.tokens.length;
  const upto = partial ? n - 1 : n;
  // The tokens before the one being asked about must walk cleanly.
  let reached = upto;
  while (reached > 0 && (walk.buckets[reached] ?? []).length === 0) reached--;
  if (reached < upto || (partial && n === 0)) {
    const column = walk.caretAt[reached] ?? line.length;
    if (walk.ambiguous[reached])
      return `% Ambiguous command:  "${line.slice(from, walk.tokens[reached]!.column + walk.tokens[reached]!.text.length)}"\n`;
    return `${formatCliError(line, { kind: "invalid", column, message: INVALID_INPUT }, { indent: ctx.promptLength })}\n`;
  }
  const states = walk.buckets[upto] ?? [];
  if (!partial) {
    const entries = nextEntries(ctx.table, mode, specs, states, exec);
    if (entries.length === 0) return "% Unrecognized command\n";
    return formatHelpColumns(entries);
  }
  const word = walk.tokens[n - 1]!.text;
  const lower = word.toLowerCase();
  const all = nextEntries(ctx.table, mode, specs, states, false);
  const kws = all.filter((e) => /^[a-z0-9]/i.test(e.token) && !e.token.startsWith("<") && e.token !== "WORD");
  const hits = kws.filter((e) => e.token.toLowerCase().startsWith(lower)).map((e) => e.token);
  if (hits.length > 0) return formatHelpWords(hits);
  // A value being typed (`router ospf 1?`): the values that could take it.
  const values = all.filter((e) => valueAccepts(e.token, word));
  if (values.length > 0) return formatHelpColumns(values);
  return "% Unrecognized command\n";
}

/** True if a value label could still take `word` (typed so far). */
function valueAccepts(label: string, word: string): boolean {
  if (label === "WORD" || label === "LINE") return true;
  if (label === "A.B.C.D") return /^\d{1,3}(\.\d{0,3}){0,3}$/.test(word);
  if (label === "A.B.C.D/nn") return /^\d{1,3}(\.\d{0,3}){0,3}(\/\d{0,2})?$/.test(word);
  const range = /^<(\d+)-(\d+)>$/.exec(label);
  if (range) return /^\d+$/.test(word) && Number(word) <= Number(range[2]);
  return false;
}

/**
 * Tab: the line with its last word completed, or undefined when nothing is
 * unique (ambiguous, unknown, or a value). A keyword gets a space after it,
 * an interface type none (the number follows).
 */
export function completeLine<S extends HelpSpec>(ctx: HelpContext<S>, line: string): string | undefined {
  if (line === "" || /\s$/.test(line)) return undefined;
  let specs = ctx.specs;
  let from = 0;
  if (!ctx.exec) {
    const at = doOffset(line);
    if (at >= 0) {
      specs = ctx.execSpecs;
      from = at;
    }
  }
  if ((ctx.exec || from > 0) && findPipe(line.slice(from)) >= 0) {
    const pipe = findPipe(line.slice(from)) + from;
    const words = tokenize(line, pipe + 1);
    if (words.length !== 1) return undefined;
    const hits = FILTER_HELP.filter((f) => f.token.startsWith(words[0]!.text.toLowerCase()));
    return hits.length === 1 ? `${line.slice(0, words[0]!.column)}${hits[0]!.token} ` : undefined;
  }
  const walk = walkLine(specs, line, from);
  const n = walk.tokens.length;
  if (n === 0) return undefined;
  const states = walk.buckets[n - 1] ?? [];
  const last = walk.tokens[n - 1]!;
  const lower = last.text.toLowerCase();
  const candidates = new Set<string>();
  let interfaceHit: string | undefined;
  for (const s of states) {
    if (s.rest === null || s.rest.node.type !== "token") continue;
    const token = s.rest.node.token;
    if (token.kind === "keyword") {
      if (token.word.startsWith(lower)) candidates.add(`${token.word} `);
    } else if (token.kind === "interface" && /^[a-z-]+$/i.test(last.text)) {
      const types = INTERFACE_TYPES.filter((t) => t.full.toLowerCase().startsWith(lower));
      const exact = types.find((t) => t.full.toLowerCase() === lower);
      const pick = exact ?? (types.length === 1 ? types[0] : undefined);
      if (pick !== undefined) interfaceHit = pick.full;
      else if (types.length > 1) candidates.add("\u0000ambiguous");
    }
  }
  if (interfaceHit !== undefined) candidates.add(interfaceHit);
  // An exact keyword wins over longer ones (`ip` among `ip`, `ipv6`), as the parser decides.
  const exact = [...candidates].filter((c) => c.trimEnd() === lower);
  const pick = exact.length === 1 ? exact[0] : candidates.size === 1 ? [...candidates][0] : undefined;
  if (pick === undefined || pick.startsWith("\u0000")) return undefined;
  return line.slice(0, last.column) + pick;
}

/** Every token node of a syntax, in order. */
function tokenNodes(
  node: SyntaxNode,
  out: (SyntaxNode & { type: "token" })[] = [],
): (SyntaxNode & { type: "token" })[] {
  switch (node.type) {
    case "token":
      out.push(node);
      break;
    case "seq":
      for (const i of node.items) tokenNodes(i, out);
      break;
    case "choice":
      for (const a of node.alts) tokenNodes(a, out);
      break;
    case "anyorder":
      for (const o of node.options) tokenNodes(o, out);
      break;
    case "optional":
    case "named":
      tokenNodes(node.body, out);
      break;
  }
  return out;
}

/** One token of the grammar `?` could show, and its help (undefined if none is registered). */
export interface GrammarToken {
  readonly mode: string;
  readonly syntax: string;
  readonly key: string;
  readonly help: string | undefined;
}

/**
 * Walks every spec of every mode of a table (its own, `no` and `default`
 * forms) and reports each token `?` can show with the help it would print.
 * Interface names are excluded: their help comes from the interface types.
 */
export function grammarTokens<S extends HelpSpec>(
  table: object,
  modes: readonly { readonly id: string; readonly specs: readonly CompiledSpec<S>[] }[],
): GrammarToken[] {
  const registry = helpRegistry(table);
  const out: GrammarToken[] = [];
  for (const { id, specs } of modes) {
    for (const c of specs) {
      for (const root of [c.root, c.noRoot, c.defaultRoot]) {
        if (root === undefined) continue;
        for (const node of tokenNodes(root)) {
          if (node.token.kind === "interface") continue;
          const k = helpKeyFor(c, root, node);
          out.push({ mode: id, syntax: c.spec.syntax, key: k.key, help: helpOf(registry, id, k) });
        }
      }
    }
  }
  return out;
}
