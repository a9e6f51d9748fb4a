// Reads a router's IPsec state through its console, as a user would, for
// `bench ipsec`: `show crypto isakmp sa` (phase-1 SAs by state) and
// `show crypto ipsec sa` (ESP SAs and packet counters, summed over idents).

import type { Lab } from "../runtime/lab.ts";

/** What one router's crypto show commands say. */
export interface CryptoState {
  /** Phase-1 SAs in QM_IDLE (established). */
  qmIdle: number;
  /** Phase-1 SAs in any other state (still negotiating, or deleted). */
  otherIsakmp: number;
  /** ESP SAs listed under `inbound esp sas:` and `outbound esp sas:`. */
  inboundEsp: number;
  outboundEsp: number;
  /** Counters summed over every ident. */
  encaps: number;
  decaps: number;
  sendErrors: number;
  recvErrors: number;
}

/** Parses `show crypto isakmp sa`: established and other phase-1 SAs. */
export function parseIsakmpSa(text: string): Pick<CryptoState, "qmIdle" | "otherIsakmp"> {
  let qmIdle = 0;
  let otherIsakmp = 0;
  for (const m of text.matchAll(/^\d+\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s+(\S+)\s+\d+ (ACTIVE.*)$/gm)) {
    if (m[1] === "QM_IDLE" && m[2] === "ACTIVE") qmIdle++;
    else otherIsakmp++;
  }
  return { qmIdle, otherIsakmp };
}

/** Parses `show crypto ipsec sa`: ESP SAs by direction and counters summed over idents. */
export function parseIpsecSa(text: string): Omit<CryptoState, "qmIdle" | "otherIsakmp"> {
  const sum = (re: RegExp): number => {
    let n = 0;
    for (const m of text.matchAll(re)) n += Number(m[1]);
    return n;
  };
  let inboundEsp = 0;
  let outboundEsp = 0;
  let section: "in" | "out" | null = null;
  for (const line of text.split("\n")) {
    const heading = line.match(/^\s+(inbound|outbound) (esp|ah|pcp) sas:/);
    if (heading !== null) {
      section = heading[2] !== "esp" ? null : heading[1] === "inbound" ? "in" : "out";
      continue;
    }
    if (section !== null && /^\s+spi: 0x/.test(line)) {
      if (section === "in") inboundEsp++;
      else outboundEsp++;
    }
  }
  return {
    inboundEsp,
    outboundEsp,
    encaps: sum(/#pkts encaps: (\d+)/g),
    decaps: sum(/#pkts decaps: (\d+)/g),
    sendErrors: sum(/#send errors (\d+)/g),
    recvErrors: sum(/#recv errors (\d+)/g),
  };
}

/** Runs both show commands on a router and parses them. */
export async function cryptoState(lab: Lab, device: string): Promise<CryptoState> {
  const isakmp = await lab.command(device, "show crypto isakmp sa");
  const ipsec = await lab.command(device, "show crypto ipsec sa");
  return { ...parseIsakmpSa(isakmp.output), ...parseIpsecSa(ipsec.output) };
}

/** Tunnels a router shows established: phase-1 SAs in QM_IDLE, each with an inbound and an outbound ESP SA. */
export function establishedTunnels(s: CryptoState): number {
  return Math.min(s.qmIdle, s.inboundEsp, s.outboundEsp);
}

/** A router holds exactly `expected` established tunnels, and no other phase-1 SA or ESP SA. */
export function routerComplete(s: CryptoState, expected: number): boolean {
  return s.qmIdle === expected && s.otherIsakmp === 0 && s.inboundEsp === expected && s.outboundEsp === expected;
}

/** A router holds one established tunnel and nothing else. */
export function tunnelUp(s: CryptoState): boolean {
  return routerComplete(s, 1);
}
