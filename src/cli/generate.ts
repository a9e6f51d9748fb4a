// `bun run generate --template master.cfg --data branches.csv --out DIR [--name COLUMN] [--columns A,B,C]`
// Seed 000's master configuration plus data file: one configuration per CSV
// row, placeholders such as {{HOSTNAME}}, {{IPADDR}} or {{ip "10.0.0.0/8" index}}
// filled from the row (src/scenario/config-template.ts lists them). Exits 2 on
// an error, which names the file, row and column; nothing is written then.

import { TemplateError } from "../scenario/config-template.ts";
import { generateConfigs } from "../scenario/generate-configs.ts";
import { ArgsError, parseArgs } from "./args.ts";

const USAGE = `usage: npx bun run generate --template FILE --data FILE.csv --out DIR [--name COLUMN] [--columns A,B,C]
  --template FILE   the master configuration, with {{COLUMN}} and {{function args}} placeholders
  --data FILE.csv   one row per device; the first line names the columns
  --out DIR         a new (or empty) folder for the generated files
  --name COLUMN     the column naming each file (default HOSTNAME, else the first column)
  --columns A,B,C   the column names when the data file has no header line (every line is a row)
  --help            this text`;

try {
  const args = parseArgs(process.argv.slice(2), {
    options: ["template", "data", "out", "name", "columns"],
    switches: ["help"],
    maxPositional: 0,
  });
  if (args.flags.has("help")) {
    console.log(USAGE);
    process.exit(0);
  }
  const need = (flag: string): string => {
    const v = args.flags.get(flag);
    if (typeof v !== "string") throw new ArgsError(`--${flag} is required`);
    return v;
  };
  const name = args.flags.get("name");
  const columns = args.flags.get("columns");
  const files = generateConfigs({
    template: need("template"),
    data: need("data"),
    out: need("out"),
    ...(typeof name === "string" ? { nameColumn: name } : {}),
    ...(typeof columns === "string" ? { columns: columns.split(",").map((c) => c.trim()) } : {}),
  });
  console.log(`generate: ${files.length} configurations written to ${need("out")}`);
} catch (e) {
  const usage = e instanceof ArgsError ? `\n${USAGE.split("\n")[0]}` : "";
  const known = e instanceof ArgsError || e instanceof TemplateError || e instanceof Error;
  console.error(`generate: ${known ? (e as Error).message : String(e)}${usage}`);
  process.exit(2);
}
