/**
 * Matching one command line against the compiled specs of a mode, as the IOS parser does.
 *
 * All specs are walked together, token by token (a small NFA over the syntax trees),
 * so abbreviations are resolved against every keyword that is valid at that point:
 * `sh ip ro` works because `sh` prefixes only `show` among the mode's first words,
 * and `sh` in a mode with `show` and `shutdown` is ambiguous. Keywords win over
 * values (WORD, INTERFACE...) when both could take a token. The outcome is the
 * matched spec with typed args, or the IOS error: `% Invalid input detected at '^'
 * marker.` with the caret column (the first character no keyword accepts, or the
 * start of a bad value), `% Incomplete command.`, or `% Ambiguous command:  "..."`.
 * A spec may allow the `no` and `default` prefixes, with the same or its own syntax.
 * Matching never throws on user input.
 */

import { type Args, type ArgValue, parseSyntax, type SyntaxNode, type Token } from "./grammar.ts";
import {
  canonicalInterfaceName,
  isInterfaceNumber,
  resolveInterfaceType,
  splitInterfaceWord,
} from "./interface-name.ts";

/** IOS message for a token no command accepts. */
export const INVALID_INPUT = "% Invalid input detected at '^' marker.";
/** IOS message for a line that stops before a command is complete. */
export const INCOMPLETE_COMMAND = "% Incomplete command.";

/** A matching failure, as IOS reports it. `column` is a 0-based index into the line. */
export type CliError =
  | { readonly kind: "invalid"; readonly column: number; readonly message: string }
  | { readonly kind: "incomplete"; readonly message: string }
  | { readonly kind: "ambiguous"; readonly message: string }
  | { readonly kind: "handler"; readonly message: string };

/** What a spec says about its `no` / `default` forms: absent/false = not allowed, true = same syntax, string = own syntax. */
export type PrefixForm = boolean | string;

/** The part of a command spec the matcher needs. */
export interface SpecSyntax {
  readonly syntax: string;
  readonly no?: PrefixForm;
  readonly default?: PrefixForm;
}

/** A spec compiled for matching; `spec` is the caller's own object. */
export interface CompiledSpec<S extends SpecSyntax = SpecSyntax> {
  readonly spec: S;
  readonly root: SyntaxNode;
  readonly noRoot?: SyntaxNode;
  readonly defaultRoot?: SyntaxNode;
}

/** A successful match. */
export interface Matched<S extends SpecSyntax = SpecSyntax> {
  readonly ok: true;
  readonly spec: S;
  readonly args: Args;
  readonly negated: boolean;
  readonly defaulted: boolean;
}

/** Result of matching a line. */
export type MatchResult<S extends SpecSyntax = SpecSyntax> =
  | Matched<S>
  | { readonly ok: false; readonly error: CliError; readonly progress: number };

/** One whitespace-separated word of the input and its column. */
export interface InputToken {
  readonly text: string;
  readonly column: number;
}

/** Compiles a spec (and its `no`/`default` forms); throws on a malformed syntax string. */
export function compileSpec<S extends SpecSyntax>(spec: S): CompiledSpec<S> {
  const root = parseSyntax(spec.syntax);
  const form = (f: PrefixForm | undefined): SyntaxNode | undefined =>
    f === undefined || f === false ? undefined : f === true ? root : parseSyntax(f);
  const noRoot = form(spec.no);
  const defaultRoot = form(spec.default);
  return {
    spec,
    root,
    ...(noRoot ? { noRoot } : {}),
    ...(defaultRoot ? { defaultRoot } : {}),
  };
}

/** Splits a line into words with their columns, starting at column `from`. */
export function tokenize(line: string, from = 0): InputToken[] {
  const out: InputToken[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], column: m.index });
  return out;
}

// ---- the NFA walk ---------------------------------------------------------------

type Rest = { readonly node: SyntaxNode; readonly next: Rest | null } | null;

interface State {
  readonly specIndex: number;
  readonly rest: Rest;
  readonly args: Readonly<Record<string, ArgValue>>;
  readonly pending: readonly string[];
  readonly negated: boolean;
  readonly defaulted: boolean;
}

type TokenState = State & { readonly rest: { readonly node: SyntaxNode & { type: "token" }; readonly next: Rest } };

const NO_KEYWORD: SyntaxNode = { type: "token", token: { kind: "keyword", word: "no" }, argName: "" };
const DEFAULT_KEYWORD: SyntaxNode = { type: "token", token: { kind: "keyword", word: "default" }, argName: "" };

/** True for the `no` / `default` the matcher puts before a spec's negated or default form. */
export function isPrefixKeyword(node: SyntaxNode): boolean {
  return node === NO_KEYWORD || node === DEFAULT_KEYWORD;
}

/** Expands a state until its next item is a terminal (or it is complete). */
function expand(state: State, out: State[]): void {
  const rest = state.rest;
  if (rest === null) {
    out.push(state);
    return;
  }
  const node = rest.node;
  switch (node.type) {
    case "token":
      out.push(state);
      return;
    case "seq": {
      let r: Rest = rest.next;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (item) r = { node: item, next: r };
      }
      expand({ ...state, rest: r }, out);
      return;
    }
    case "optional":
      expand({ ...state, rest: rest.next }, out);
      expand({ ...state, rest: { node: node.body, next: rest.next } }, out);
      return;
    case "choice":
      for (const alt of node.alts) expand({ ...state, rest: { node: alt, next: rest.next } }, out);
      return;
    case "named":
      expand({ ...state, pending: [...state.pending, node.name], rest: { node: node.body, next: rest.next } }, out);
      return;
    case "anyorder":
      expand({ ...state, rest: rest.next }, out);
      node.options.forEach((opt, i) => {
        const remaining = node.options.filter((_, j) => j !== i);
        const after: Rest =
          remaining.length > 0 ? { node: { type: "anyorder", options: remaining }, next: rest.next } : rest.next;
        expand({ ...state, rest: { node: opt, next: after } }, out);
      });
      return;
  }
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(text: string): boolean {
  const m = IPV4_RE.exec(text);
  if (m === null) return false;
  return m.slice(1).every((o) => Number(o) <= 255);
}

/** Tries a value token at `tokens[i]`; returns [value, tokens consumed], "partial" (needs more input) or undefined. */
function matchValue(
  token: Exclude<Token, { kind: "keyword" }>,
  tokens: readonly InputToken[],
  i: number,
  line: string,
): [ArgValue, number] | "partial" | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  switch (token.kind) {
    case "ipv4":
      return isIpv4(t.text) ? [t.text.split(".").map(Number).join("."), 1] : undefined;
    case "prefix": {
      const m = /^([^/]+)\/(\d{1,2})$/.exec(t.text);
      if (!m || !isIpv4(m[1] ?? "") || Number(m[2]) > 32) return undefined;
      return [`${(m[1] ?? "").split(".").map(Number).join(".")}/${Number(m[2])}`, 1];
    }
    case "range": {
      if (!/^\d{1,15}$/.test(t.text)) return undefined;
      const n = Number(t.text);
      return n >= token.lo && n <= token.hi ? [n, 1] : undefined;
    }
    case "word":
      return [t.text, 1];
    case "line":
      return [line.slice(t.column).trimEnd(), tokens.length - i];
    case "interface": {
      const whole = canonicalInterfaceName(t.text);
      if (whole !== undefined) return [whole, 1];
      const parts = splitInterfaceWord(t.text);
      if (parts?.[1] !== "" || !resolveInterfaceType(parts[0])) return undefined;
      const next = tokens[i + 1];
      if (!next) return "partial";
      if (!isInterfaceNumber(next.text)) return undefined;
      const joined = canonicalInterfaceName(t.text + next.text);
      return joined === undefined ? undefined : [joined, 2];
    }
  }
}

/** Moves a state past its next token, storing `value` under the token's name and any open group names. */
function advance(state: TokenState, value: ArgValue, groupValue: ArgValue): State {
  const args: Record<string, ArgValue> = { ...state.args };
  const argName = state.rest.node.argName;
  if (argName !== "") {
    // A keyword flag never displaces a value, and a value replaces a flag of the same name.
    if (value === true) {
      if (!(argName in args)) args[argName] = true;
    } else {
      let key = argName;
      for (let k = 2; key in args && args[key] !== true; k++) key = `${argName}${k}`;
      args[key] = value;
    }
  }
  for (const p of state.pending) args[p] = groupValue;
  return { ...state, rest: state.rest.next, args, pending: [] };
}

/** Length of the common case-insensitive prefix of two strings. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n]?.toLowerCase() === b[n]?.toLowerCase()) n++;
  return n;
}

/** A state of the NFA walk: a spec, what remains of its syntax, and the args so far. */
export type WalkState = State;

/** Everything the token-by-token walk of a line learned (shared by matching, `?` help and Tab completion). */
export interface Walk {
  readonly tokens: readonly InputToken[];
  /** `buckets[i]`: the states alive after the first i tokens, expanded to their next terminal. */
  readonly buckets: readonly (readonly State[])[];
  /** Per token: the caret column if the walk stops there. */
  readonly caretAt: readonly number[];
  /** Per token: true if it stopped there as a prefix of several keywords. */
  readonly ambiguous: readonly boolean[];
  /** True when the last token is an interface type that still needs its number. */
  readonly partialEnd: boolean;
}

/** Start states per spec list (a mode's list is built once and kept): every line of a config starts from them. */
const initialCache = new WeakMap<readonly CompiledSpec<SpecSyntax>[], readonly State[]>();

/** The start states of every spec: plain, and with `no` / `default` before it where allowed (states are immutable). */
function initialStates<S extends SpecSyntax>(specs: readonly CompiledSpec<S>[]): readonly State[] {
  const hit = initialCache.get(specs);
  if (hit !== undefined) return hit;
  const initial = expandInitial(specs);
  initialCache.set(specs, initial);
  shared.add(initial);
  return initial;
}

function expandInitial<S extends SpecSyntax>(specs: readonly CompiledSpec<S>[]): State[] {
  const initial: State[] = [];
  specs.forEach((c, specIndex) => {
    const base = { specIndex, args: {}, pending: [] as string[], negated: false, defaulted: false };
    expand({ ...base, rest: { node: c.root, next: null } }, initial);
    if (c.noRoot)
      expand({ ...base, negated: true, rest: { node: NO_KEYWORD, next: { node: c.noRoot, next: null } } }, initial);
    if (c.defaultRoot)
      expand(
        { ...base, defaulted: true, rest: { node: DEFAULT_KEYWORD, next: { node: c.defaultRoot, next: null } } },
        initial,
      );
  });
  return initial;
}

/**
 * A state list sorted for its next token: the ones waiting for a token, those of them waiting for a
 * keyword, and those by the keyword's first letter and by the whole keyword. Every line of a configuration
 * starts from the same few hundred states, and lines share their leading keywords (`crypto isakmp ...`,
 * `ip address ...`): the start states and the states after a run of whole keywords are kept (`shared`,
 * never changed once built) with this index, so a word looks at the handful under its letter or takes
 * the states after it from `next` instead of expanding them again.
 */
interface FirstTokenIndex {
  pending: TokenState[];
  keywords: TokenState[];
  byLetter: Map<string, TokenState[]>;
  /** The states waiting for exactly this keyword, in list order: a whole word needs no scan. */
  byWord: Map<string, TokenState[]>;
  /** The expanded states after a whole keyword (shared lists). */
  next: Map<string, readonly State[]>;
}

/** State lists kept and reused across lines (read only): the start states and those after whole keywords. */
const shared = new WeakSet<readonly State[]>();
const tokenIndexCache = new WeakMap<readonly State[], FirstTokenIndex>();

function tokenIndex(initial: readonly State[]): FirstTokenIndex {
  const hit = tokenIndexCache.get(initial);
  if (hit !== undefined) return hit;
  const pending = initial.filter((s): s is TokenState => s.rest !== null && s.rest.node.type === "token");
  const keywords = pending.filter((s) => s.rest.node.token.kind === "keyword");
  const byLetter = new Map<string, TokenState[]>();
  const byWord = new Map<string, TokenState[]>();
  for (const s of keywords) {
    const token = s.rest.node.token;
    const word = token.kind === "keyword" ? token.word : "";
    const letter = word.charAt(0);
    const list = byLetter.get(letter);
    if (list === undefined) byLetter.set(letter, [s]);
    else list.push(s);
    const same = byWord.get(word);
    if (same === undefined) byWord.set(word, [s]);
    else same.push(s);
  }
  const index = { pending, keywords, byLetter, byWord, next: new Map<string, readonly State[]>() };
  tokenIndexCache.set(initial, index);
  return index;
}

/** Walks `line` (from column `from`) through every spec at once, token by token. Never throws on input. */
export function walkLine<S extends SpecSyntax>(specs: readonly CompiledSpec<S>[], line: string, from = 0): Walk {
  const tokens = tokenize(line, from);
  const n = tokens.length;
  // A bucket may be a shared list (read only): it is then replaced, never pushed to.
  const buckets: (readonly State[])[] = Array.from({ length: n + 1 }, () => []);
  buckets[0] = initialStates(specs);
  const addTo = (at: number, states: readonly State[]): void => {
    const b = buckets[at] ?? [];
    if (b.length === 0) buckets[at] = states;
    else if (shared.has(b)) buckets[at] = [...b, ...states];
    else (b as State[]).push(...states);
  };

  const caretAt: number[] = tokens.map((t) => t.column);
  const ambiguous: boolean[] = tokens.map(() => false);
  let partialEnd = false;
  for (let i = 0; i < n; i++) {
    const states = buckets[i] ?? [];
    const tok = tokens[i];
    if (states.length === 0 || !tok) continue;
    const word = tok.text.toLowerCase();
    const first = shared.has(states) ? tokenIndex(states) : undefined;
    const pendingStates =
      first?.pending ?? states.filter((s): s is TokenState => s.rest !== null && s.rest.node.type === "token");
    const kwWord = (s: TokenState): string | undefined =>
      s.rest.node.token.kind === "keyword" ? s.rest.node.token.word : undefined;

    // Keywords first: an exact match, else a prefix of exactly one distinct keyword.
    const kwStates = first?.keywords ?? pendingStates.filter((s) => kwWord(s) !== undefined);
    // A whole keyword after shared states leads to shared states: expanded once, then reused.
    const whole = first?.byWord.get(word);
    if (first !== undefined && whole !== undefined) {
      let out = first.next.get(word);
      if (out === undefined) {
        const expanded: State[] = [];
        for (const s of whole) expand(advance(s, true, word), expanded);
        out = expanded;
        shared.add(out);
        first.next.set(word, out);
      }
      addTo(i + 1, out);
      continue;
    }
    const prefixed = (
      first !== undefined && word !== "" ? (first.byLetter.get(word.charAt(0)) ?? []) : kwStates
    ).filter((s) => kwWord(s)?.startsWith(word));
    const exact = prefixed.filter((s) => kwWord(s) === word);
    const distinct = new Set(prefixed.map(kwWord));
    const keywordHits = exact.length > 0 ? exact : distinct.size === 1 ? prefixed : [];
    if (keywordHits.length > 0) {
      const out: State[] = [];
      for (const s of keywordHits) {
        const kw = kwWord(s) ?? word;
        expand(advance(s, true, kw), out);
      }
      addTo(i + 1, out);
      continue;
    }

    let valueMatched = false;
    let hasValueCandidates = false;
    for (const s of pendingStates) {
      const token = s.rest.node.token;
      if (token.kind === "keyword") continue;
      hasValueCandidates = true;
      const r = matchValue(token, tokens, i, line);
      if (r === "partial") {
        if (i === n - 1) partialEnd = true;
        continue;
      }
      if (!r) continue;
      valueMatched = true;
      const out: State[] = [];
      expand(advance(s, r[0], r[0]), out);
      addTo(i + r[1], out);
    }
    if (valueMatched) continue;
    ambiguous[i] = distinct.size > 1;
    if (!hasValueCandidates && kwStates.length > 0) {
      caretAt[i] = tok.column + Math.max(...kwStates.map((s) => commonPrefix(word, kwWord(s) ?? "")));
    }
  }
  return { tokens, buckets, caretAt, ambiguous, partialEnd };
}

/**
 * Matches `line` (from column `from`) against compiled specs. Never throws on input.
 * `progress` on failure is the column reached, to pick the most specific error across modes.
 */
export function matchLine<S extends SpecSyntax>(
  specs: readonly CompiledSpec<S>[],
  line: string,
  from = 0,
): MatchResult<S> {
  const { tokens, buckets, caretAt, ambiguous, partialEnd } = walkLine(specs, line, from);
  const n = tokens.length;

  // A complete parse consuming every token wins; the first registered spec breaks ties.
  const first = (buckets[n] ?? []).find((s) => s.rest === null);
  const spec = first ? specs[first.specIndex]?.spec : undefined;
  if (first && spec) return { ok: true, spec, args: first.args, negated: first.negated, defaulted: first.defaulted };

  let reached = n;
  while (reached > 0 && (buckets[reached] ?? []).length === 0) reached--;
  const incomplete = {
    ok: false as const,
    error: { kind: "incomplete" as const, message: INCOMPLETE_COMMAND },
    progress: line.length + 1,
  };
  if (reached === n || (partialEnd && reached === n - 1)) return incomplete;
  const column = caretAt[reached] ?? line.length;
  if (ambiguous[reached]) {
    return {
      ok: false,
      error: { kind: "ambiguous", message: `% Ambiguous command:  "${line.slice(from).trim()}"` },
      progress: column,
    };
  }
  return { ok: false, error: { kind: "invalid", column, message: INVALID_INPUT }, progress: column };
}

/** The caret line IOS prints under an echoed line: `indent` spaces for a prompt, then the column. */
export function caretLine(column: number, indent = 0): string {
  return `${" ".repeat(indent + column)}^`;
}

/** Formats an error as IOS prints it after the echoed `line` (echo included when `echo` is true). */
export function formatCliError(
  line: string,
  error: CliError,
  options: { echo?: boolean; indent?: number } = {},
): string {
  const echo = options.echo ? [line] : [];
  if (error.kind === "invalid")
    return [...echo, caretLine(error.column, options.indent ?? 0), error.message].join("\n");
  return [...echo, error.message].join("\n");
}
