// The extended ping and traceroute dialogs: IOS's questions in order, defaults
// on Enter, errors that end the dialog, yes/no asked again, and the job the
// one-line form would start.

import { describe, expect, test } from "bun:test";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp } from "./fake-context.ts";
import { routerSession } from "./router-session.ts";

function router() {
  const r = routerSession();
  bringUp(r.device, "Serial0/0", parseIpv4Address("10.0.12.1")!, 24);
  const out: string[] = [];
  r.device.output = (t) => out.push(t);
  /** Types a line; returns the prompt shown after it. */
  const type = (line: string) => r.session.execute(line);
  return { r, out, type };
}

const PING_BASIC = ["Protocol [ip]: ", "Target IP address: ", "Repeat count [5]: ", "Datagram size [100]: "];

describe("extended ping dialog", () => {
  test("defaults on Enter: the questions of seed 002, then the one-line form's ping", () => {
    const { r, out, type } = router();
    const prompts = [type("ping").prompt];
    for (const answer of ["", "10.0.12.2", "", "", "", ""]) prompts.push(type(answer).prompt);
    expect(prompts).toEqual([
      ...PING_BASIC,
      "Timeout in seconds [2]: ",
      "Extended commands [n]: ",
      "Sweep range of sizes [n]: ",
    ]);
    const last = type("");
    expect(last.prompt).toBe("R1#");
    expect(r.device.job).not.toBeNull();
    expect(out.join("")).toStartWith(
      "Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to 10.0.12.2, timeout is 2 seconds:\n",
    );
  });

  test("extended commands and a sweep, as seed 002 answers them", () => {
    const { r, out, type } = router();
    const seen: string[] = [type("ping").prompt];
    const answers = ["", "10.0.12.2", "", "", "", "y", "Serial0/0", "", "y", "", "0x1234", "", "y", "1490", "1510", ""];
    for (const a of answers) seen.push(type(a).prompt);
    expect(seen).toEqual([
      ...PING_BASIC,
      "Timeout in seconds [2]: ",
      "Extended commands [n]: ",
      "Source address or interface: ",
      "Type of service [0]: ",
      "Set DF bit in IP header? [no]: ",
      "Validate reply data? [no]: ",
      "Data pattern [0xABCD]: ",
      "Loose, Strict, Record, Timestamp, Verbose[none]: ",
      "Sweep range of sizes [n]: ",
      "Sweep min size [36]: ",
      "Sweep max size [18024]: ",
      "Sweep interval [1]: ",
      "R1#",
    ]);
    expect(out.join("")).toBe(
      "Type escape sequence to abort.\nSending 105, [1490..1510]-byte ICMP Echos to 10.0.12.2, timeout is 2 seconds:\n" +
        "Packet sent with a source address of 10.0.12.1 \nPacket sent with the DF bit set\nPacket has data pattern 0x1234\n",
    );
    expect(r.device.job).not.toBeNull();
  });

  test("bad answers end the dialog with IOS's message; yes/no asks again; ping ip skips the protocol", () => {
    const { r, type } = router();
    type("ping");
    type("");
    expect(type("").output).toBe("% Bad IP address\n");
    expect(r.session.prompt).toBe("R1#");
    type("ping ip");
    expect(r.session.prompt).toBe("Target IP address: ");
    type("10.0.12.2");
    expect(type("0").output).toBe("% A decimal number between 1 and 2147483647.\n");
    type("ping");
    expect(type("ipx").output).toBe('% Unknown protocol - "ipx", type "ping ?" for help\n');
    type("ping");
    for (const a of ["", "10.0.12.2", "", "", ""]) type(a);
    const again = type("maybe");
    expect(again).toEqual({ output: "% Please answer 'yes' or 'no'.\n", prompt: "Extended commands [n]: " });
    type("y");
    expect(type("9.9.9.9").output).toStartWith("% Invalid source.");
    expect(r.device.job).toBeNull();
  });
});

describe("traceroute dialog", () => {
  test("IOS's questions, defaults on Enter, then the traceroute", () => {
    const { r, out, type } = router();
    const seen = [type("traceroute").prompt];
    for (const a of ["", "10.0.12.2", "", "", "", "", "", "", ""]) seen.push(type(a).prompt);
    expect(seen).toEqual([
      "Protocol [ip]: ",
      "Target IP address: ",
      "Source address: ",
      "Numeric display [n]: ",
      "Timeout in seconds [3]: ",
      "Probe count [3]: ",
      "Minimum Time to Live [1]: ",
      "Maximum Time to Live [30]: ",
      "Port Number [33434]: ",
      "Loose, Strict, Record, Timestamp, Verbose[none]: ",
    ]);
    type("");
    expect(r.session.prompt).toBe("R1#");
    expect(r.device.job).not.toBeNull();
    expect(out.join("")).toStartWith("Type escape sequence to abort.\nTracing the route to 10.0.12.2\n");
  });
});
