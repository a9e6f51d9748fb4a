// IPsec over DMVPN's order of operations (crypto first, then NHRP): an NHRP
// packet for an NBMA peer with no IPsec SA yet waits here while IKE
// negotiates one, and goes out sealed as soon as the SA is installed. Data
// is not held (the first pings show '.', as IOS shows them). A few packets
// per peer at most wait, for a limited time: when IKE fails (a wrong
// pre-shared key) they are dropped, so a spoke whose IPsec is broken never
// registers. Keyed by map and peer: no walk over other peers.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";

/** Packets held per peer (the oldest is dropped beyond this). */
export const SA_WAIT_MAX_PACKETS = 4;
/** How long a held packet waits for its SA (IKE's retransmissions give up sooner). */
export const SA_WAIT_NS: TimeNs = 30_000_000_000;

/** One held datagram and the tunnel it leaves through. */
export interface HeldDatagram {
  egress: RouterInterface;
  dgram: Uint8Array;
}

interface Waiting {
  held: HeldDatagram[];
  timer: TimerHandle;
}

/** Datagrams waiting for an SA, by map and peer. */
export class SaWaitQueue {
  private readonly waiting = new Map<string, Waiting>();
  /** Held datagrams dropped because their SA never came (or the queue was full); their tunnels count them too. */
  dropped = 0;

  constructor(private readonly after: (delayNs: TimeNs, name: string, fn: () => void) => TimerHandle) {}

  /** Holds a datagram until the map's SA with `peer` is installed. */
  hold(mapName: string, peer: number, item: HeldDatagram): void {
    const key = waitKey(mapName, peer);
    let w = this.waiting.get(key);
    if (w === undefined) {
      const timer = this.after(SA_WAIT_NS, "ipsec-sa-wait", () => {
        const gone = this.waiting.get(key);
        if (gone === undefined) return;
        for (const h of gone.held) this.drop(h);
        this.waiting.delete(key);
      });
      w = { held: [], timer };
      this.waiting.set(key, w);
    }
    w.held.push(item);
    if (w.held.length > SA_WAIT_MAX_PACKETS) this.drop(w.held.shift()!);
  }

  /** A held datagram that will not go: counted here and as an output drop of its tunnel (show interfaces). */
  private drop(h: HeldDatagram): void {
    this.dropped++;
    h.egress.counters.outputDrops++;
  }

  /** The datagrams held for the map's peer, now that its SA is there (they leave the queue). */
  release(mapName: string, peer: number): HeldDatagram[] {
    const key = waitKey(mapName, peer);
    const w = this.waiting.get(key);
    if (w === undefined) return [];
    w.timer.cancel();
    this.waiting.delete(key);
    return w.held;
  }

  /** Datagrams held right now (for tests and show commands). */
  size(): number {
    let n = 0;
    for (const w of this.waiting.values()) n += w.held.length;
    return n;
  }
}

function waitKey(mapName: string, peer: number): string {
  return `${mapName}|${peer >>> 0}`;
}
