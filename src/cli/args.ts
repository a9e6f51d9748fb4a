// Small command-line flag parser shared by the wanlab commands.

/** Parsed flags and positional arguments. */
export interface CliArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Parses `--name value`, `--name=value` and bare `--switch` flags. */
export function parseArgs(argv: string[], switches: readonly string[] = []): CliArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (switches.includes(a.slice(2)) || i + 1 >= argv.length || argv[i + 1]!.startsWith("--"))
      flags.set(a.slice(2), true);
    else flags.set(a.slice(2), argv[++i]!);
  }
  return { positional, flags };
}

/** A numeric flag, or the default; exits with a message on a bad value. */
export function numberFlag(args: CliArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n)) {
    console.error(`--${name} needs a number`);
    process.exit(2);
  }
  return n;
}

/** `--crypto wasm|native|auto`: the ESP implementation of new SAs, handed to every Worker through WANLAB_CRYPTO. */
export function applyCryptoFlag(args: CliArgs): string {
  const v = args.flags.get("crypto");
  if (v === undefined) return process.env.WANLAB_CRYPTO ?? "wasm";
  if (v !== "wasm" && v !== "native" && v !== "auto") {
    console.error("--crypto must be wasm, native or auto");
    process.exit(2);
  }
  process.env.WANLAB_CRYPTO = v;
  return v;
}
