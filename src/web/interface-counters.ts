// Reads a device's interfaces as its console prints them: the dashboard asks
// each device `show interfaces` over the command channel (as the scenario
// runner does) and takes the status line and counters from each block.
// Devices that do not know the command (a Linux host) answer with an error
// and simply contribute no interfaces.

/** One interface as `show interfaces` printed it. */
export interface InterfaceCounters {
  readonly name: string;
  /** `up`, `down` or `administratively down`. */
  readonly status: string;
  readonly protocolUp: boolean;
  readonly inPackets: number;
  readonly inBytes: number;
  readonly outPackets: number;
  readonly outBytes: number;
  /** Input queue drops plus total output drops. */
  readonly drops: number;
  /** Output queue depth now (0 when the block has no queue line). */
  readonly queue: number;
}

const STATUS = /^(\S+) is (up|down|administratively down), line protocol is (up|down)/;

function num(block: string, re: RegExp, group = 1): number {
  const m = re.exec(block);
  return m === null ? 0 : Number(m[group]);
}

/** Every interface block of a `show interfaces` output (none for an error or other text). */
export function parseShowInterfaces(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const m = STATUS.exec(lines[i]!);
    if (m === null) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < lines.length && !STATUS.test(lines[j]!)) j++;
    const block = lines.slice(i, j).join("\n");
    out.push({
      name: m[1]!,
      status: m[2]!,
      protocolUp: m[3] === "up",
      inPackets: num(block, /(\d+) packets input, (\d+) bytes/),
      inBytes: num(block, /(\d+) packets input, (\d+) bytes/, 2),
      outPackets: num(block, /(\d+) packets output, (\d+) bytes/),
      outBytes: num(block, /(\d+) packets output, (\d+) bytes/, 2),
      drops: num(block, /Input queue: \d+\/\d+\/(\d+)\//) + num(block, /Total output drops: (\d+)/),
      queue: num(block, /Output queue: (\d+)\//),
    });
    i = j;
  }
  return out;
}
