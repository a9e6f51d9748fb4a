// What `ip nhrp ...` sets on one tunnel interface (IOS's defaults: holdtime
// 7200 s, registrations every holdtime/3, no authentication, no redirect or
// shortcut). NHRP runs on an interface while it has a network-id.

/** `ip nhrp nhs A [nbma B] [multicast]`. */
export interface NhsConfig {
  /** The NHS's tunnel (protocol) address. */
  protocol: number;
  /** Its NBMA address, when given on the command (else from `ip nhrp map`). */
  nbma?: number;
  /** `multicast`: pseudo-multicast goes to this NHS too. */
  multicast: boolean;
}

/** The NHRP configuration of one interface. */
export interface NhrpInterfaceConfig {
  /** `ip nhrp network-id <1-4294967295>`. */
  networkId?: number;
  /** `ip nhrp authentication STRING` (at most 8 characters, cleartext on the wire). */
  authentication?: string;
  /** `ip nhrp map A NBMA`: static protocol → NBMA mappings, by protocol address. */
  maps: Map<number, number>;
  /** `ip nhrp map multicast A`: NBMA addresses pseudo-multicast always goes to. */
  multicastMaps: number[];
  /** `ip nhrp map multicast dynamic`: pseudo-multicast goes to every registered client too. */
  multicastDynamic: boolean;
  /** `ip nhrp nhs ...`, in configuration order. */
  servers: NhsConfig[];
  /** `ip nhrp holdtime <1-65535>` (seconds): how long others keep what we tell them. */
  holdtimeSec: number;
  /** `ip nhrp registration timeout <1-65535>`: seconds between registrations (default holdtime/3). */
  registrationTimeoutSec?: number;
  /** `ip nhrp redirect`: send traffic indications for traffic hairpinning through this interface (phase 3). */
  redirect: boolean;
  /** `ip nhrp shortcut`: act on traffic indications and install NHRP routes (phase 3). */
  shortcut: boolean;
}

/** IOS's default holdtime (seconds). */
export const NHRP_DEFAULT_HOLDTIME = 7200;

/** An interface's NHRP configuration before any `ip nhrp` command. */
export function emptyNhrpConfig(): NhrpInterfaceConfig {
  return {
    maps: new Map(),
    multicastMaps: [],
    multicastDynamic: false,
    servers: [],
    holdtimeSec: NHRP_DEFAULT_HOLDTIME,
    redirect: false,
    shortcut: false,
  };
}

/** Seconds between registrations. */
export function registrationIntervalSec(c: NhrpInterfaceConfig): number {
  return c.registrationTimeoutSec ?? Math.max(1, Math.floor(c.holdtimeSec / 3));
}
