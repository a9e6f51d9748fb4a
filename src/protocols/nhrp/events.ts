// What NHRP reports; src/config/nhrp words it as IOS's %DMVPN syslog lines and
// `debug nhrp` lines.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";

/** Our side of an event: tunnel address and NBMA address. */
export interface NhrpEndpoint {
  protocol: number;
  nbma: number;
}

export type NhrpEvent =
  /** A next hop server answered our registration (`%DMVPN-5-NHRP_NHS_UP`), or stopped answering (`_DOWN`). */
  | { kind: "nhsUp" | "nhsDown"; ifc: RouterInterface; server: NhrpEndpoint; local: NhrpEndpoint }
  /** A next hop client registered with us for the first time (`%DMVPN-5-NHRP_NHC_UP`) or expired (`_DOWN`). */
  | { kind: "nhcUp" | "nhcDown"; ifc: RouterInterface; client: NhrpEndpoint; local: NhrpEndpoint }
  /** A spoke-to-spoke peer was resolved (`%DMVPN-5-NHRP_NHP_UP`) or its entry went (`_DOWN`). */
  | { kind: "nhpUp" | "nhpDown"; ifc: RouterInterface; peer: NhrpEndpoint; local: NhrpEndpoint }
  /** An NHRP packet sent or received on an interface (`debug nhrp`): its type, size and protocol addresses. */
  | {
      kind: "packet";
      direction: "sent" | "received";
      ifc: RouterInterface;
      type: number;
      size: number;
      src: number | null;
      dst: number | null;
    };
