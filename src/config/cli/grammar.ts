/**
 * The syntax DSL for IOS command specs, as the `?` help of IOS shows it.
 *
 * A spec such as `ip route A.B.C.D:prefix A.B.C.D:mask {A.B.C.D | INTERFACE}:nexthop
 * [<1-255>:distance]` is compiled once into a small tree. Token kinds:
 *   keyword      lower-case word, matched case-insensitively by unique prefix
 *   A.B.C.D      IPv4 address              A.B.C.D/nn  IPv4 prefix with length
 *   <lo-hi>      decimal in a range        WORD        any one token
 *   LINE         the rest of the line, raw text preserved
 *   INTERFACE    interface type + number (`gi0/0`, `Gi 0/0`), canonicalised
 * Groups: `[...]` optional, `{a | b}` alternatives, `[a | b]` optional alternatives.
 * Consecutive keyword-led optional groups (`[repeat <1-2147483647>] [size <36-18024>]
 * [df-bit]`) may be given in any order, each at most once, as IOS ping allows.
 * Argument names: `TOKEN:name` or `{...}:name`; otherwise a value is named after the
 * keyword just before it (`repeat <1-...>` -> `repeat`), else after its kind
 * (`address`, `prefix`, `number`, `word`, `line`, `interface`). A keyword sets
 * `args[keyword] = true`, unless it gave its name to the value after it; a named group gets the text or value of the token that
 * opened it. A name used twice on one path gets a numeric suffix (`address2`).
 * Spec syntax errors throw: specs are written by device authors, not by users.
 */

/** A parsed argument value: keyword flag, number from a range, or text. */
export type ArgValue = string | number | boolean;

/** Arguments parsed from one command line, by name. */
export type Args = Readonly<Record<string, ArgValue>>;

/** One terminal of the grammar. */
export type Token =
  | { readonly kind: "keyword"; readonly word: string; readonly name?: string }
  | { readonly kind: "ipv4"; readonly name?: string }
  | { readonly kind: "prefix"; readonly name?: string }
  | { readonly kind: "range"; readonly lo: number; readonly hi: number; readonly name?: string }
  | { readonly kind: "word"; readonly name?: string }
  | { readonly kind: "line"; readonly name?: string }
  | { readonly kind: "interface"; readonly name?: string };

/** A node of a compiled command syntax. */
export type SyntaxNode =
  | { readonly type: "token"; readonly token: Token; readonly argName: string }
  | { readonly type: "seq"; readonly items: readonly SyntaxNode[] }
  | { readonly type: "optional"; readonly body: SyntaxNode }
  | { readonly type: "choice"; readonly alts: readonly SyntaxNode[] }
  | { readonly type: "anyorder"; readonly options: readonly SyntaxNode[] }
  | { readonly type: "named"; readonly name: string; readonly body: SyntaxNode };

const DEFAULT_NAMES: Readonly<Record<Exclude<Token["kind"], "keyword">, string>> = {
  ipv4: "address",
  prefix: "prefix",
  range: "number",
  word: "word",
  line: "line",
  interface: "interface",
};

type Lexeme = { text: string; name?: string };

function lex(syntax: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const readName = (): string | undefined => {
    if (syntax[i] !== ":") return undefined;
    i++;
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(syntax.slice(i));
    if (!m) throw new Error(`grammar: bad argument name at ${i} in "${syntax}"`);
    i += m[0].length;
    return m[0];
  };
  while (i < syntax.length) {
    const c = syntax[i] ?? "";
    if (/\s/.test(c)) {
      i++;
    } else if ("[]{}|".includes(c)) {
      i++;
      const name = c === "]" || c === "}" ? readName() : undefined;
      out.push(name === undefined ? { text: c } : { text: c, name });
    } else {
      let j = i;
      while (j < syntax.length && !/[\s[\]{}|:]/.test(syntax[j] ?? "")) j++;
      const text = syntax.slice(i, j);
      i = j;
      const name = readName();
      out.push(name === undefined ? { text } : { text, name });
    }
  }
  return out;
}

function classify(lexeme: Lexeme, syntax: string): Token {
  const { text, name } = lexeme;
  const n = name === undefined ? {} : { name };
  if (text === "A.B.C.D") return { kind: "ipv4", ...n };
  if (text === "A.B.C.D/nn" || text === "A.B.C.D/LEN") return { kind: "prefix", ...n };
  if (text === "WORD") return { kind: "word", ...n };
  if (text === "LINE") return { kind: "line", ...n };
  if (text === "INTERFACE") return { kind: "interface", ...n };
  const range = /^<(\d+)-(\d+)>$/.exec(text);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) throw new Error(`grammar: empty range ${text} in "${syntax}"`);
    return { kind: "range", lo, hi, ...n };
  }
  if (!/^[a-z0-9][a-z0-9_.\-/]*$/i.test(text)) throw new Error(`grammar: bad token "${text}" in "${syntax}"`);
  return { kind: "keyword", word: text.toLowerCase(), ...n };
}

/** True if every alternative of this node starts with a keyword (an any-order option). */
function keywordLed(node: SyntaxNode): boolean {
  switch (node.type) {
    case "token":
      return node.token.kind === "keyword";
    case "seq":
      return node.items.length > 0 && node.items[0] !== undefined && keywordLed(node.items[0]);
    case "choice":
      return node.alts.every(keywordLed);
    case "named":
    case "optional":
      return keywordLed(node.body);
    case "anyorder":
      return false;
  }
}

/** Groups runs of two or more keyword-led optional siblings into an any-order node. */
function groupAnyOrder(items: SyntaxNode[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  let run: SyntaxNode[] = [];
  const flush = (): void => {
    if (run.length >= 2) out.push({ type: "anyorder", options: run.map((o) => (o.type === "optional" ? o.body : o)) });
    else out.push(...run);
    run = [];
  };
  for (const item of items) {
    if (item.type === "optional" && keywordLed(item.body)) run.push(item);
    else {
      flush();
      out.push(item);
    }
  }
  flush();
  return out;
}

/** Compiles a syntax string into a SyntaxNode tree; throws on a malformed spec. */
export function parseSyntax(syntax: string): SyntaxNode {
  const lexemes = lex(syntax);
  let pos = 0;

  // A keyword that names the value after it (`repeat <1-...>`, `source {A.B.C.D | INTERFACE}`)
  // gives its name to that value and sets no flag of its own.
  type Namer = { readonly word: string; used: boolean };

  const parseAlts = (close: string | undefined, inherited: Namer | undefined): SyntaxNode[] => {
    const alts: SyntaxNode[] = [parseSeq(inherited)];
    while (lexemes[pos]?.text === "|") {
      pos++;
      alts.push(parseSeq(inherited));
    }
    if (close !== undefined && lexemes[pos]?.text !== close)
      throw new Error(`grammar: expected "${close}" in "${syntax}"`);
    return alts;
  };

  const parseSeq = (inherited: Namer | undefined): SyntaxNode => {
    const items: SyntaxNode[] = [];
    const namers = new Map<number, Namer>();
    let lastKeyword: Namer | undefined = inherited;
    for (;;) {
      const lx = lexemes[pos];
      if (!lx || lx.text === "|" || lx.text === "]" || lx.text === "}") break;
      if (lx.text === "[" || lx.text === "{") {
        pos++;
        const close = lx.text === "[" ? "]" : "}";
        const alts = parseAlts(close, lastKeyword);
        const closing = lexemes[pos];
        pos++;
        let body: SyntaxNode = alts.length === 1 && alts[0] ? alts[0] : { type: "choice", alts };
        if (closing?.name !== undefined) body = { type: "named", name: closing.name, body };
        items.push(lx.text === "[" ? { type: "optional", body } : body);
        lastKeyword = undefined;
        continue;
      }
      pos++;
      const token = classify(lx, syntax);
      let argName: string;
      if (token.kind === "keyword") {
        argName = token.name ?? token.word;
        lastKeyword = token.name === undefined ? { word: token.word, used: false } : undefined;
        if (lastKeyword) namers.set(items.length, lastKeyword);
      } else {
        if (token.name === undefined && lastKeyword) lastKeyword.used = true;
        argName = token.name ?? lastKeyword?.word ?? DEFAULT_NAMES[token.kind];
        lastKeyword = undefined;
      }
      items.push({ type: "token", token, argName });
    }
    for (const [index, namer] of namers) {
      const item = items[index];
      if (namer.used && item?.type === "token") items[index] = { ...item, argName: "" };
    }
    const grouped = groupAnyOrder(items);
    return grouped.length === 1 && grouped[0] ? grouped[0] : { type: "seq", items: grouped };
  };

  const root = parseSeq(undefined);
  if (pos < lexemes.length) throw new Error(`grammar: unexpected "${lexemes[pos]?.text}" in "${syntax}"`);
  return root;
}

/** The leading keywords of a syntax (`ip address A.B.C.D ...` -> `["ip", "address"]`). */
export function leadingKeywords(node: SyntaxNode): string[] {
  if (node.type === "token") return node.token.kind === "keyword" ? [node.token.word] : [];
  if (node.type !== "seq") return [];
  const out: string[] = [];
  for (const item of node.items) {
    if (item.type !== "token" || item.token.kind !== "keyword") break;
    out.push(item.token.word);
  }
  return out;
}

/** Reads a text argument (undefined if absent or not text). */
export function argString(args: Args, name: string): string | undefined {
  const v = args[name];
  return typeof v === "string" ? v : undefined;
}

/** Reads a numeric argument (undefined if absent or not a number). */
export function argNumber(args: Args, name: string): number | undefined {
  const v = args[name];
  return typeof v === "number" ? v : undefined;
}

/** True if the keyword or flag `name` was given. */
export function argFlag(args: Args, name: string): boolean {
  return args[name] !== undefined && args[name] !== false;
}
