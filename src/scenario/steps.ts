// The steps language of a scenario (steps.txt), one step per line:
//   R1# ping 10.0.23.3 repeat 5       run an exec/config line on a device
//   R1(config-if)# shutdown           (the prompt text before '#' names the device)
//   expect Success rate is 100        the last command's output contains this text
//   expect /round-trip .* = \d+/      ... or matches this regular expression
//   expect-not % Invalid              ... does not contain it
//   expect-syslog %LINK-3-UPDOWN      some console/syslog line so far contains it
//   wait 30s | 500ms | 2m             let virtual time pass
//   link R1-R2 down | up              fail or restore a wire (by its name)
//   capture                           write one pcap per wire for this run (to --capture DIR or captures/<scenario>/)
//   # comment, blank lines

/** One step, with the line it came from. */
export type Step =
  | { kind: "command"; line: number; device: string; text: string }
  | { kind: "expect"; line: number; negate: boolean; text?: string; regex?: RegExp }
  | { kind: "expect-syslog"; line: number; text: string }
  | { kind: "wait"; line: number; durationNs: number }
  | { kind: "link"; line: number; wire: string; up: boolean }
  | { kind: "capture"; line: number };

/** A steps.txt problem, with its line. */
export class StepsError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "StepsError";
  }
}

const UNITS: Record<string, number> = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses a steps file. */
export function parseSteps(file: string, text: string): Step[] {
  const steps: Step[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const cmd = trimmed.match(/^([A-Za-z][\w.-]*)(?:\([\w-]+\))?#\s?(.*)$/);
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
          try {
            steps.push({ kind: "expect", line, negate: word === "expect-not", regex: new RegExp(re[1]!, re[2]) });
          } catch (e) {
            throw new StepsError(file, line, `bad regular expression: ${(e as Error).message}`);
          }
        } else {
          steps.push({ kind: "expect", line, negate: word === "expect-not", text: arg });
        }
        return;
      }
      case "expect-syslog":
        if (arg === "") throw new StepsError(file, line, "expect-syslog needs text");
        steps.push({ kind: "expect-syslog", line, text: arg });
        return;
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
      case "capture":
        if (arg !== "")
          throw new StepsError(file, line, "capture takes no argument (choose the folder with --capture DIR)");
        steps.push({ kind: "capture", line });
        return;
      default:
        throw new StepsError(file, line, `unknown step "${word}" (a command step looks like "R1# show ip route")`);
    }
  });
  return steps;
}
