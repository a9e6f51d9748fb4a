// `crypto key import rsa LABEL [general-keys] [exportable] [pem] terminal
// [PASSPHRASE]` (seed 003 imports with `terminal PASSPHRASE`, no `pem`, and
// pastes the same PEM blocks) and `crypto key export rsa LABEL pem terminal {3des|des}
// PASSPHRASE`, as IOS has them. Import asks for the public key in PEM, then
// the private key in PEM, each ended by `quit` on a line by itself (in a
// configuration file the blocks follow the command, as `key-string` … `quit`
// does); the pair goes to the router's key store, where generated keys are,
// and signs like them. Each pasted line is checked as it arrives, so a line
// that cannot be PEM is refused on that line; the block as a whole is checked
// at its `quit`, and an error names the line of the block it is on.

import {
  parseRsaPrivatePem,
  parseRsaPublicPem,
  pemLineProblem,
  rsaPrivatePemEncrypted,
  rsaPublicPem,
} from "../../protocols/pki/rsa-pem.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";

type Ctx = CommandContext<RouterDevice>;

/** The mode that takes the pasted PEM blocks. */
export const KEY_IMPORT_MODE = "config-key-import";

/** An import in progress: the command's options and the lines pasted so far. */
interface ImportState {
  readonly label: string;
  readonly exportable: boolean;
  readonly passphrase: string | undefined;
  stage: "public" | "private";
  readonly publicLines: string[];
  readonly privateLines: string[];
}

const PUBLIC_PROMPT =
  '% Enter PEM-formatted public General Purpose key or certificate.\n% End with a blank line or "quit" on a line by itself.';
const PRIVATE_PROMPT =
  '% Enter PEM-formatted encrypted private General Purpose key.\n% End with "quit" on a line by itself.';

/** `% Invalid public key (line 3 of the block: not base64)`. */
function pemFailure(what: string, e: { error: string; line?: number }): string {
  return `% Key import failed: ${e.error}${e.line !== undefined ? ` (line ${e.line} of the ${what} block)` : ""}`;
}

/** Ends a block: the public one is checked and the private one asked for; the private one finishes the import. */
function finishBlock(ctx: Ctx): HandlerResult {
  const st = ctx.data as ImportState;
  if (st.stage === "public") {
    const pub = parseRsaPublicPem(st.publicLines);
    if ("error" in pub) {
      ctx.session.exitMode();
      return pemFailure("public key", pub);
    }
    st.stage = "private";
    ctx.device.write(`${PRIVATE_PROMPT}\n`);
    return;
  }
  ctx.session.exitMode();
  const key = parseRsaPrivatePem(st.privateLines, st.passphrase);
  if ("error" in key) return pemFailure("private key", key);
  const pub = parseRsaPublicPem(st.publicLines);
  if ("error" in pub) return pemFailure("public key", pub);
  if (pub.n !== key.n || pub.e !== key.e) return "% Key import failed: the public key is not the private key's";
  ctx.device.crypto.pki.keys.importPair({
    label: st.label,
    key,
    exportable: st.exportable,
    now: ctx.device.now(),
  });
  ctx.device.write("% Key pair import succeeded.\n");
}

const importSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "quit", handler: (_a, ctx) => finishBlock(ctx) },
  {
    syntax: "LINE:pem",
    handler: (_a, ctx) => {
      const st = ctx.data as ImportState;
      const problem = pemLineProblem(ctx.line);
      if (problem !== null) return `% Not a PEM line (${problem}): ${ctx.line.trim()}`;
      (st.stage === "public" ? st.publicLines : st.privateLines).push(ctx.line.trim());
    },
  },
];

const str = (a: Args, name: string): string | undefined => (typeof a[name] === "string" ? String(a[name]) : undefined);

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "crypto key import rsa WORD:label [general-keys] [exportable] [pem] terminal [WORD:passphrase]",
    handler: (a, ctx) => {
      const st: ImportState = {
        label: String(a.label),
        exportable: a.exportable === true,
        passphrase: str(a, "passphrase"),
        stage: "public",
        publicLines: [],
        privateLines: [],
      };
      ctx.enter(KEY_IMPORT_MODE, st);
      ctx.device.write(`${PUBLIC_PROMPT}\n`);
    },
  },
  {
    syntax: "crypto key export rsa WORD:label pem terminal {3des | des}:cipher WORD:passphrase",
    handler: (a, ctx) => {
      const label = String(a.label);
      const pair = ctx.device.crypto.pki.keys.signingPair(label);
      if (pair === undefined) return `% RSA keypair ${label} not found`;
      if (!pair.exportable) return `% RSA keypair ${label} is not exportable.`;
      const cipher = a.cipher === "des" ? "des" : "3des";
      const pem = rsaPrivatePemEncrypted(pair.key, cipher, String(a.passphrase), (n) => ctx.device.randomBytes(n));
      ctx.device.write(
        `% Key name: ${label}\n   Usage: General Purpose Key\n   Key data:\n${rsaPublicPem(pair.publicDer)}\n${pem}\n`,
      );
    },
  },
];

/** Registers the import mode and the import/export commands. */
export function addKeyImportCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(KEY_IMPORT_MODE);
  table.add(KEY_IMPORT_MODE, ...importSpecs);
  table.add("config", ...globalSpecs);
}
