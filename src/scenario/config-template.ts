// Configuration templates (seed 000's master config plus a data file): a
// master configuration with `{{...}}` placeholders, filled once per row of
// a CSV data file (or per index of a generated device group). Pure: text in,
// text or an error naming file, row and column out; no file system here.
//
// A placeholder is a variable or an expression:
//   {{HOSTNAME}}                    the row's HOSTNAME column (or a group's
//                                   variable); `index` is the row's number, from 1
//   {{ip "10.0.0.0/16" index}}      an address: the base plus a number, which
//                                   must stay inside the base's prefix
//   {{subnet "10.0.0.0/16" 30 index}} the network of the index-th /30 of the
//                                   block (counted from 0)
//   {{add index 100}} {{sub index 1}} {{mul index 4}} {{div index 250}} {{mod index 250}}
//   {{mask 30}} {{wildcard 30}}     255.255.255.252 and 0.0.0.3
//   {{pad index 3}}                 a number with leading zeros (007)
// Arguments are "strings", integers, variables or (nested expressions).

import { formatIpv4Address, maskFromLength, parseIpv4Address } from "../wire/ipv4-address.ts";

/** Where a problem is: the file and, when known, the row (1-based data row) and column. */
export interface TemplatePlace {
  file: string;
  row?: number;
  column?: string;
  /** Line of the template (1-based). */
  line?: number;
}

/** A problem in a template or data file. */
export class TemplateError extends Error {
  constructor(
    readonly place: TemplatePlace,
    message: string,
  ) {
    const where = [
      place.file,
      place.line !== undefined ? `line ${place.line}` : undefined,
      place.row !== undefined ? `row ${place.row}` : undefined,
      place.column !== undefined ? `column ${place.column}` : undefined,
    ]
      .filter((p) => p !== undefined)
      .join(", ");
    super(`${where}: ${message}`);
    this.name = "TemplateError";
  }
}

// ---- CSV --------------------------------------------------------------------

/** A parsed data file: its header and its rows as column → value. */
export interface DataFile {
  columns: string[];
  rows: Array<Record<string, string>>;
}

/**
 * Parses CSV (RFC 4180: comma-separated, fields in double quotes may hold
 * commas, newlines and doubled quotes); the first record names the columns,
 * unless `columns` names them (a data file without a header line, as seed
 * 000's datafile.txt). Blank lines are skipped; a row with another number of
 * fields is an error.
 */
export function parseCsv(text: string, file: string, names?: readonly string[]): DataFile {
  const records: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let sawAnything = false;
  const endRecord = () => {
    fields.push(field);
    if (sawAnything) records.push({ fields, line: recordLine });
    fields = [];
    field = "";
    sawAnything = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.trim() !== "")
        throw new TemplateError({ file, line }, "a quote may only start a field (double it inside quotes)");
      field = "";
      quoted = true;
      sawAnything = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      sawAnything = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      if (c.trim() !== "") sawAnything = true;
    }
  }
  if (quoted) throw new TemplateError({ file, line: recordLine }, "a quoted field is not closed");
  endRecord();
  if (names !== undefined) records.unshift({ fields: [...names], line: 0 });
  if (records.length === 0) throw new TemplateError({ file }, "no header line (the first line names the columns)");
  const header = records[0]!;
  const columns = header.fields.map((f) => f.trim());
  const what = names !== undefined ? "--columns" : "the header";
  const headerPlace: TemplatePlace = names !== undefined ? { file, column: "--columns" } : { file, line: header.line };
  const seen = new Set<string>();
  for (const c of columns) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c))
      throw new TemplateError(headerPlace, `column name "${c}" must be letters, digits and _`);
    if (c === "index") throw new TemplateError(headerPlace, `"index" is the row number; rename it`);
    if (seen.has(c)) throw new TemplateError(headerPlace, `column ${c} appears twice`);
    seen.add(c);
  }
  const rows = records.slice(1).map((r, i) => {
    if (r.fields.length !== columns.length)
      throw new TemplateError(
        { file, row: i + 1, line: r.line },
        `has ${r.fields.length} fields, ${what} has ${columns.length}`,
      );
    const row: Record<string, string> = {};
    columns.forEach((c, k) => {
      row[c] = r.fields[k]!.trim();
    });
    return row;
  });
  return { columns, rows };
}

// ---- templates ----------------------------------------------------------------

type Expr =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "variable"; name: string }
  | { kind: "call"; fn: string; args: Expr[] };

type Piece = { kind: "text"; text: string } | { kind: "expr"; expr: Expr; line: number; source: string };

/** A compiled template. */
export interface Template {
  file: string;
  pieces: Piece[];
  /** Variables it reads (besides `index`), for checking a data file's columns before rendering. */
  variables: Set<string>;
}

const FUNCTIONS: Record<string, { args: number[]; help: string }> = {
  ip: { args: [2], help: 'ip "A.B.C.D[/len]" N' },
  subnet: { args: [3], help: 'subnet "A.B.C.D/len" LEN N' },
  add: { args: [2], help: "add A B" },
  sub: { args: [2], help: "sub A B" },
  mul: { args: [2], help: "mul A B" },
  div: { args: [2], help: "div A B" },
  mod: { args: [2], help: "mod A B" },
  mask: { args: [1], help: "mask LEN" },
  wildcard: { args: [1], help: "wildcard LEN" },
  pad: { args: [2], help: "pad N WIDTH" },
};

/** Compiles a template; an unclosed or malformed placeholder is an error naming its line. */
export function compileTemplate(text: string, file: string): Template {
  const pieces: Piece[] = [];
  const variables = new Set<string>();
  let at = 0;
  let line = 1;
  while (at < text.length) {
    const open = text.indexOf("{{", at);
    if (open < 0) {
      pieces.push({ kind: "text", text: text.slice(at) });
      break;
    }
    if (open > at) pieces.push({ kind: "text", text: text.slice(at, open) });
    line += countLines(text, at, open);
    at = open;
    const close = text.indexOf("}}", open + 2);
    const newline = text.indexOf("\n", open);
    if (close < 0 || (newline >= 0 && newline < close))
      throw new TemplateError({ file, line }, "a placeholder opened with {{ is not closed with }} on its line");
    const source = text.slice(open + 2, close).trim();
    const expr = parseExpression(source, { file, line });
    collectVariables(expr, variables);
    pieces.push({ kind: "expr", expr, line, source });
    at = close + 2;
  }
  variables.delete("index");
  return { file, pieces, variables };
}

/**
 * Fills a template for one row: `vars` are the row's columns, `index` its
 * number. A variable the row lacks, an empty value or a bad expression is an
 * error naming the row, and the template line and column involved.
 */
export function renderTemplate(
  template: Template,
  vars: Readonly<Record<string, string>>,
  index: number,
  place: { file: string; row?: number },
): string {
  let out = "";
  for (const p of template.pieces) {
    if (p.kind === "text") out += p.text;
    else out += evaluate(p.expr, vars, index, { ...place, templateLine: p.line, template: template.file });
  }
  return out;
}

interface EvalPlace {
  file: string;
  row?: number;
  template: string;
  templateLine: number;
}

function evaluate(e: Expr, vars: Readonly<Record<string, string>>, index: number, place: EvalPlace): string {
  const fail = (message: string, column?: string): never => {
    throw new TemplateError(
      { file: place.file, ...(place.row !== undefined ? { row: place.row } : {}), ...(column ? { column } : {}) },
      `${message} (${place.template} line ${place.templateLine})`,
    );
  };
  switch (e.kind) {
    case "string":
      return e.value;
    case "number":
      return String(e.value);
    case "variable": {
      if (e.name === "index") return String(index);
      const v = vars[e.name];
      if (v === undefined) return fail(`no value for {{${e.name}}}: the data has no such column`, e.name);
      if (v === "") return fail(`{{${e.name}}} is empty`, e.name);
      return v;
    }
    case "call": {
      const args = e.args.map((a) => evaluate(a, vars, index, place));
      const columnOf = (k: number): string | undefined => {
        const a = e.args[k];
        return a?.kind === "variable" && a.name !== "index" ? a.name : undefined;
      };
      const int = (k: number): number => {
        const s = args[k]!;
        if (!/^-?\d+$/.test(s)) return fail(`${e.fn}: "${s}" is not a whole number`, columnOf(k));
        return Number(s);
      };
      const length = (k: number): number => {
        const n = int(k);
        if (n < 0 || n > 32) return fail(`${e.fn}: prefix length ${n} is not 0..32`, columnOf(k));
        return n;
      };
      const prefix = (k: number): { address: number; length: number } => {
        const m = args[k]!.match(/^([\d.]+)(?:\/(\d+))?$/);
        const address = m === null ? null : parseIpv4Address(m[1]!);
        if (m === null || address === null) return fail(`${e.fn}: "${args[k]}" is not an address`, columnOf(k));
        const len = m[2] === undefined ? 32 : Number(m[2]);
        if (len > 32) return fail(`${e.fn}: "${args[k]}" has a prefix length above 32`, columnOf(k));
        return { address, length: len };
      };
      switch (e.fn) {
        case "add":
          return String(int(0) + int(1));
        case "sub":
          return String(int(0) - int(1));
        case "mul":
          return String(int(0) * int(1));
        case "div":
        case "mod": {
          const b = int(1);
          if (b === 0) return fail(`${e.fn}: division by zero`, columnOf(1));
          return String(e.fn === "div" ? Math.floor(int(0) / b) : int(0) % b);
        }
        case "mask":
          return formatIpv4Address(maskFromLength(length(0)));
        case "wildcard":
          return formatIpv4Address(~maskFromLength(length(0)) >>> 0);
        case "pad": {
          const n = int(0);
          const width = int(1);
          return n < 0 ? `-${String(-n).padStart(width - 1, "0")}` : String(n).padStart(width, "0");
        }
        case "ip": {
          const base = prefix(0);
          const n = int(1);
          if (args[0]!.includes("/")) {
            const start = (base.address & maskFromLength(base.length)) >>> 0;
            const size = 2 ** (32 - base.length);
            if (n < 0 || n >= size) return fail(`ip: ${n} is outside ${args[0]} (0..${size - 1})`, columnOf(1));
            return formatIpv4Address(start + n);
          }
          const address = base.address + n;
          if (address < 0 || address > 0xffffffff) return fail(`ip: ${args[0]} + ${n} is not an address`, columnOf(1));
          return formatIpv4Address(address);
        }
        case "subnet": {
          const base = prefix(0);
          if (!args[0]!.includes("/")) return fail(`subnet: "${args[0]}" needs a /length`, columnOf(0));
          const len = length(1);
          const n = int(2);
          if (len < base.length) return fail(`subnet: /${len} is larger than ${args[0]}`, columnOf(1));
          const count = 2 ** (len - base.length);
          if (n < 0 || n >= count)
            return fail(`subnet: ${n} is outside 0..${count - 1} /${len}s of ${args[0]}`, columnOf(2));
          const start = (base.address & maskFromLength(base.length)) >>> 0;
          return formatIpv4Address((start + n * 2 ** (32 - len)) >>> 0);
        }
      }
      return fail(`unknown function ${e.fn}`);
    }
  }
}

// ---- expression parsing -----------------------------------------------------------

function parseExpression(source: string, place: TemplatePlace): Expr {
  const tokens = tokenize(source, place);
  if (tokens.length === 0) throw new TemplateError(place, "an empty placeholder {{}}");
  let at = 0;
  const fail = (message: string): never => {
    throw new TemplateError(place, `{{${source}}}: ${message}`);
  };
  const atom = (): Expr => {
    const t = tokens[at++];
    if (t === undefined) return fail("an argument is missing");
    if (t.kind === "string") return { kind: "string", value: t.text };
    if (t.kind === "number") return { kind: "number", value: Number(t.text) };
    if (t.kind === "name") return { kind: "variable", name: t.text };
    if (t.kind === "(") {
      const inner = call();
      if (tokens[at++]?.kind !== ")") return fail("a ( is not closed");
      return inner;
    }
    return fail(`unexpected ${t.text}`);
  };
  const call = (): Expr => {
    const head = tokens[at];
    if (head?.kind === "name" && FUNCTIONS[head.text] !== undefined) {
      at++;
      const args: Expr[] = [];
      while (at < tokens.length && tokens[at]!.kind !== ")") args.push(atom());
      const spec = FUNCTIONS[head.text]!;
      if (!spec.args.includes(args.length))
        return fail(`${head.text} takes ${spec.args.join(" or ")} arguments (${spec.help})`);
      return { kind: "call", fn: head.text, args };
    }
    return atom();
  };
  const expr = call();
  if (at !== tokens.length) fail("one value per placeholder (a function name first for an expression)");
  return expr;
}

type Token = { kind: "string" | "number" | "name" | "(" | ")"; text: string };

function tokenize(source: string, place: TemplatePlace): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"') {
      const end = source.indexOf('"', i + 1);
      if (end < 0) throw new TemplateError(place, `{{${source}}}: a string is not closed`);
      tokens.push({ kind: "string", text: source.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = source.slice(i).match(/^(-?\d+|[A-Za-z_][A-Za-z0-9_]*)/);
      if (m === null) throw new TemplateError(place, `{{${source}}}: unexpected "${c}"`);
      tokens.push({ kind: /^-?\d/.test(m[1]!) ? "number" : "name", text: m[1]! });
      i += m[1]!.length;
    }
  }
  return tokens;
}

function collectVariables(e: Expr, into: Set<string>): void {
  if (e.kind === "variable") into.add(e.name);
  else if (e.kind === "call") for (const a of e.args) collectVariables(a, into);
}

/** Newlines in text[from, to). */
function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
