// Small command-line flag parser shared by the wanlab commands. Each command
// declares its options (flags that take a value), its switches (bare flags)
// and how many positional arguments it takes; anything else is an error with
// a clear message, so a typo never runs silently with defaults.

/** Parsed flags and positional arguments. */
export interface CliArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** What a command accepts. */
export interface ArgSpec {
  /** Flags that take a value: `--seed 7` or `--seed=7`. */
  options: readonly string[];
  /** Bare flags: `--json`. */
  switches?: readonly string[];
  /** Most positional arguments accepted (default: unlimited). */
  maxPositional?: number;
}

/** A command-line mistake, with the message to print. */
export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgsError";
  }
}

/** The largest `--seed` (seeds are unsigned 32-bit integers). */
export const MAX_SEED = 0xffff_ffff;

/**
 * Parses `--name value`, `--name=value` and bare `--switch` flags. Without a
 * spec every flag is accepted (a flag followed by another flag or by nothing
 * is a switch); with one, unknown flags, a missing value, a value given to a
 * switch and extra positional arguments throw ArgsError.
 */
export function parseArgs(argv: string[], spec?: ArgSpec): CliArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const switches = spec?.switches ?? [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--") || a === "--") {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (spec !== undefined && !spec.options.includes(name) && !switches.includes(name))
      throw new ArgsError(`unknown option --${name}${suggestion(name, spec)}`);
    if (switches.includes(name)) {
      if (eq > 0) throw new ArgsError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (eq > 0) flags.set(name, a.slice(eq + 1));
    else if (i + 1 >= argv.length || argv[i + 1]!.startsWith("--")) {
      if (spec !== undefined) throw new ArgsError(`--${name} needs a value`);
      flags.set(name, true);
    } else flags.set(name, argv[++i]!);
  }
  if (spec?.maxPositional !== undefined && positional.length > spec.maxPositional) {
    const extra = positional.slice(spec.maxPositional).map((p) => `"${p}"`);
    throw new ArgsError(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.join(" ")}`);
  }
  return { positional, flags };
}

/** ` (did you mean --x?)` for a near miss among the known flags. */
function suggestion(name: string, spec: ArgSpec): string {
  const known = [...spec.options, ...(spec.switches ?? [])];
  const near = known.find((k) => k.startsWith(name) || name.startsWith(k) || editDistance(k, name) <= 2);
  return near === undefined
    ? `; known options: ${known.map((k) => `--${k}`).join(", ")}`
    : ` (did you mean --${near}?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** A numeric flag, or the default; throws ArgsError on a bad value. */
export function numberFlag(args: CliArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || v.trim() === "" || !Number.isFinite(n)) throw new ArgsError(`--${name} needs a number`);
  return n;
}

/** A whole-number flag in [min, max], or the default; throws ArgsError otherwise. */
export function integerFlag(args: CliArgs, name: string, fallback: number, min: number, max: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (v === true || !/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max)
    throw new ArgsError(`--${name} must be a whole number from ${min} to ${max} (got ${v === true ? "nothing" : v})`);
  return Number(v);
}

/** `--seed N`: a whole number from 0 to 4294967295 (default 1). */
export function seedFlag(args: CliArgs): number {
  return integerFlag(args, "seed", 1, 0, MAX_SEED);
}

/** `--crypto wasm|native|auto`: the ESP implementation of new SAs, handed to every Worker through WANLAB_CRYPTO. */
export function applyCryptoFlag(args: CliArgs): string {
  const v = args.flags.get("crypto");
  if (v === undefined) return process.env.WANLAB_CRYPTO ?? "wasm";
  if (v !== "wasm" && v !== "native" && v !== "auto") throw new ArgsError("--crypto must be wasm, native or auto");
  process.env.WANLAB_CRYPTO = v;
  return v;
}

/** Runs `fn`; an ArgsError prints `command: message` and the usage line, then exits 2. */
export function withArgs<T>(command: string, usage: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    console.error(`${command}: ${e.message}\n${usage}`);
    process.exit(2);
  }
}
