// How IOS prints PKI material: DER bytes as uppercase hex words of 4 bytes,
// 8 to a line (`Key Data:`, `key-string`, `certificate self-signed 01`), and
// certificate and key dates as `21:37:53 UTC Apr 3 2023`. Shared by the
// shows and the running configuration.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Bytes as IOS's hex block: `indent` then 8 words of 8 hex digits a line; a
 * last word shorter than 4 bytes stays on the last line (which then has 9
 * words, as IOS prints `... 03020301 0001`). With `trailingSpace` every line
 * but the last ends in a space, as `show crypto key mypubkey rsa` prints it.
 */
export function hexWordLines(bytes: Uint8Array, indent: string, trailingSpace = false): string[] {
  const hex = Buffer.from(bytes).toString("hex").toUpperCase();
  const full: string[] = [];
  for (let i = 0; i + 8 <= hex.length; i += 8) full.push(hex.slice(i, i + 8));
  const partial = hex.slice(full.length * 8);
  const groups: string[][] = [];
  for (let i = 0; i < full.length; i += 8) groups.push(full.slice(i, i + 8));
  if (partial !== "") {
    if (groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(partial);
  }
  return groups.map((g, i) => indent + g.join(" ") + (trailingSpace && i < groups.length - 1 ? " " : ""));
}

/** `HH:MM:SS UTC Mon D YYYY` for a time in milliseconds since 1970. */
export function pkiDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
}
