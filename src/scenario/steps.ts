// The steps language of a scenario (steps.txt), one step per line:
//   R1# ping 10.0.23.3 repeat 5       run an exec/config line on a device
//   R1(config-if)# shutdown           (the prompt text before '#' names the device)
//   expect Success rate is 100        the last command's output contains this text
//   expect /round-trip .* = \d+/      ... or matches this regular expression; its named groups
//                                     (?<name>...) set variables for later `check` steps
//   expect-not % Invalid              ... does not contain it
//   expect-block                      the lines up to `end` appear in the output, consecutively and
//   Gateway of last resort is not set exactly (trailing spaces aside): tables such as show ip route
//   end
//   expect-syslog %LINK-3-UPDOWN      some console/syslog line so far contains it
//   expect-config-error R1 7          line 7 of R1's config file is rejected (strict runs allow only these)
//   check replies == sent - 1         compares whole numbers: variables, integers, + and -,
//                                     with == != < <= > >=
// {{name}} in a command (its device too), a link name or an expect text is the
// variable's value: `link R2-R{{via}} down` pulls whichever cable a capture named.
//   wait 30s | 500ms | 2m             let virtual time pass
//   link R1-R2 down | up              fail or restore a wire (by its name)
//   capture                           write one pcap per wire for this run (to --capture DIR or captures/<scenario>/)
//   replay P-CE3 esp                  put the last frame of that IP protocol (esp, ah, udp, tcp, icmp, gre or a
//                                     number) that crossed the wire on it again, now (a replay attack)
//   # comment, blank lines
// A dialog (the extended ping, a [confirm]) is the command followed by indented
// answer lines, one per question, each either the question as the device
// prints it followed by the answer (`  Repeat count [5]: 3`; nothing after
// it is Enter), which the runner checks against the question asked, or the
// bare answer (`  y`):
//   R1# ping
//     Protocol [ip]:
//     Target IP address: 10.0.23.3

/** One step, with the line it came from. */
export type Step =
  | { kind: "command"; line: number; device: string; text: string }
  | { kind: "answer"; line: number; device: string; text: string }
  | { kind: "expect"; line: number; negate: boolean; text?: string; regex?: RegExp }
  | { kind: "expect-block"; line: number; lines: string[] }
  | { kind: "expect-syslog"; line: number; text: string }
  | { kind: "expect-config-error"; line: number; device: string; configLine: number }
  | { kind: "check"; line: number; left: Sum; op: CompareOp; right: Sum; text: string }
  | { kind: "wait"; line: number; durationNs: number }
  | { kind: "link"; line: number; wire: string; up: boolean }
  | { kind: "capture"; line: number }
  | { kind: "replay"; line: number; wire: string; protocol: number };

/** One term of a sum: a variable or a whole number, added or subtracted. */
export interface SumTerm {
  sign: 1 | -1;
  variable?: string;
  value?: number;
}

/** Terms added up: `replies + 1`, `sent - lost`. */
export type Sum = SumTerm[];

/** How `check` compares its two sides. */
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** IP protocols a `replay` step names. */
const IP_PROTOCOL_NAMES: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51 };

const COMPARE_OPS: readonly CompareOp[] = ["==", "!=", "<=", ">=", "<", ">"];

/** A steps.txt problem, with its line. */
export class StepsError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "StepsError";
  }
}

const UNITS: Record<string, number> = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses `a + 2 - b` into terms; throws a message on anything else. */
function parseSum(text: string, known: ReadonlySet<string>): Sum {
  const tokens = text.trim().split(/\s*([+-])\s*/);
  const terms: Sum = [];
  let sign: 1 | -1 = 1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i % 2 === 1) {
      sign = t === "-" ? -1 : 1;
      continue;
    }
    if (/^\d+$/.test(t)) terms.push({ sign, value: Number(t) });
    else if (/^[A-Za-z_]\w*$/.test(t)) {
      if (!known.has(t))
        throw new Error(`"${t}" is not set by an earlier expect (name it with a group like (?<${t}>\\d+))`);
      terms.push({ sign, variable: t });
    } else throw new Error(`"${t === "" ? text.trim() : t}" is not a variable or a whole number`);
  }
  return terms;
}

/** Parses a steps file. */
export function parseSteps(file: string, text: string): Step[] {
  const steps: Step[] = [];
  // Variables the named groups of earlier expect regexes set.
  const variables = new Set<string>();
  // An open expect-block collects raw lines until `end`.
  let block: { line: number; lines: string[] } | null = null;
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (block !== null) {
      const text = raw.replace(/\r$/, "");
      if (text.trimEnd() === "end") {
        if (block.lines.length === 0)
          throw new StepsError(file, block.line, "expect-block needs at least one line before end");
        steps.push({ kind: "expect-block", line: block.line, lines: block.lines });
        block = null;
      } else block.lines.push(text.trimEnd());
      return;
    }
    const trimmed = raw.trim();
    if (trimmed === "expect-block") {
      block = { line, lines: [] };
      return;
    }
    if (trimmed === "" || trimmed.startsWith("#")) return;
    if (/^\s/.test(raw)) {
      const last = steps[steps.length - 1];
      if (last?.kind !== "command" && last?.kind !== "answer")
        throw new StepsError(file, line, "an indented line answers a dialog: it must follow a command or an answer");
      steps.push({ kind: "answer", line, device: last.device, text: raw.replace(/\r$/, "").trim() });
      return;
    }
    const cmd = trimmed.match(/^([A-Za-z{][\w.{}-]*)(?:\([\w-]+\))?#\s?(.*)$/);
    if (cmd !== null) {
      steps.push({ kind: "command", line, device: cmd[1]!, text: cmd[2]! });
      return;
    }
    const [word, ...rest] = trimmed.split(/\s+/);
    const arg = trimmed.slice(word!.length).trim();
    switch (word) {
      case "expect":
      case "expect-not": {
        if (arg === "") throw new StepsError(file, line, `${word} needs text or /regex/`);
        const re = arg.match(/^\/(.*)\/([a-z]*)$/);
        if (re !== null) {
          let regex: RegExp;
          try {
            regex = new RegExp(re[1]!.replace(/\{\{\w+\}\}/g, "x"), re[2]);
          } catch (e) {
            throw new StepsError(file, line, `bad regular expression: ${(e as Error).message}`);
          }
          // A regex naming {{variables}} is compiled when the step runs, with their values.
          if (/\{\{\w+\}\}/.test(re[1]!)) regex = new RegExp(re[1]!, re[2]);
          steps.push({ kind: "expect", line, negate: word === "expect-not", regex });
          if (word === "expect") for (const g of re[1]!.matchAll(/\(\?<([A-Za-z_]\w*)>/g)) variables.add(g[1]!);
        } else {
          steps.push({ kind: "expect", line, negate: word === "expect-not", text: arg });
        }
        return;
      }
      case "expect-syslog":
        if (arg === "") throw new StepsError(file, line, "expect-syslog needs text");
        steps.push({ kind: "expect-syslog", line, text: arg });
        return;
      case "expect-config-error": {
        if (rest.length !== 2 || !/^\d+$/.test(rest[1]!) || Number(rest[1]) < 1)
          throw new StepsError(file, line, "expect-config-error needs a device and a config line number (R1 7)");
        steps.push({ kind: "expect-config-error", line, device: rest[0]!, configLine: Number(rest[1]) });
        return;
      }
      case "check": {
        const op = COMPARE_OPS.find((o) => arg.includes(o));
        if (op === undefined) throw new StepsError(file, line, "check needs a comparison: A == B, !=, <, <=, > or >=");
        const at = arg.indexOf(op);
        try {
          const left = parseSum(arg.slice(0, at), variables);
          const right = parseSum(arg.slice(at + op.length), variables);
          steps.push({ kind: "check", line, left, op, right, text: arg });
        } catch (e) {
          throw new StepsError(file, line, `check: ${(e as Error).message}`);
        }
        return;
      }
      case "wait": {
        const m = arg.match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/);
        if (m === null) throw new StepsError(file, line, `wait needs a duration like 30s, 500ms, 2m`);
        steps.push({ kind: "wait", line, durationNs: Math.round(Number(m[1]) * UNITS[m[2]!]!) });
        return;
      }
      case "link": {
        if (rest.length !== 2 || (rest[1] !== "up" && rest[1] !== "down"))
          throw new StepsError(file, line, "link needs a wire name and up|down");
        steps.push({ kind: "link", line, wire: rest[0]!, up: rest[1] === "up" });
        return;
      }
      case "replay": {
        const protocol = rest.length === 2 ? (IP_PROTOCOL_NAMES[rest[1]!] ?? Number(rest[1])) : Number.NaN;
        if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255)
          throw new StepsError(
            file,
            line,
            "replay needs a wire name and an IP protocol (esp, ah, udp, tcp, icmp, gre or 0-255)",
          );
        steps.push({ kind: "replay", line, wire: rest[0]!, protocol });
        return;
      }
      case "capture":
        if (arg !== "")
          throw new StepsError(file, line, "capture takes no argument (choose the folder with --capture DIR)");
        steps.push({ kind: "capture", line });
        return;
      default:
        throw new StepsError(file, line, `unknown step "${word}" (a command step looks like "R1# show ip route")`);
    }
  });
  if (block !== null) throw new StepsError(file, (block as { line: number }).line, "expect-block has no end line");
  return steps;
}
