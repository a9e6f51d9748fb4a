// What the key server and the group members of one router share: ISAKMP (the
// registration phase 1 on UDP 848), the GDOI and crypto configuration, ACLs,
// the group data plane, the clock, randomness and the event sink.

import type { CryptoKeyRecord } from "../../capture/crypto-keys.ts";
import type { AccessList } from "../../dataplane/acl.ts";
import type { GroupSaDataplane } from "../../dataplane/ipsec/group-sa-dataplane.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { IkeV1Engine } from "../ike/v1/ike-engine.ts";
import type { CryptoConfig } from "../ipsec/crypto-config.ts";
import type { RsaPrivateKey } from "../pki/rsa-keygen.ts";
import type { GdoiEvent } from "./events.ts";
import type { GdoiConfig } from "./gdoi-config.ts";

/** A `crypto map` gdoi entry applied to an interface: a group this router is a member of. */
export interface MemberBinding {
  group: string;
  interfaceName: string;
  /** The address registrations come from (`crypto map NAME local-address IF`, else the interface's). */
  local: number;
}

/** The services GDOI runs on. */
export interface GdoiContext {
  readonly ike: IkeV1Engine;
  readonly config: GdoiConfig;
  readonly crypto: CryptoConfig;
  readonly dataplane: GroupSaDataplane;
  acl(name: string): AccessList | undefined;
  interfaceAddress(name: string): number | undefined;
  /** Interfaces whose crypto map has gdoi entries, per group. */
  memberBindings(): MemberBinding[];
  /** The signing key pair of an RSA key label (`rekey authentication mypubkey rsa LABEL`), if it exists. */
  rsaSigningKey(label: string): { key: RsaPrivateKey; publicDer: Uint8Array } | undefined;
  /**
   * A multicast GROUPKEY-PUSH from `src` (UDP 848, TTL 1: no router forwards
   * it), out of the interface that owns `src`, else out of every interface
   * with an address; returns how many interfaces it left on.
   */
  sendGdoiMulticast(src: number, group: number, isakmp: Uint8Array): number;
  /** Accepts datagrams to a multicast group on an interface (a member's multicast rekeys); leaveGroup undoes it. */
  joinGroup(interfaceName: string, group: number): void;
  leaveGroup(interfaceName: string, group: number): void;
  randomBytes(n: number): Uint8Array;
  now(): TimeNs;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  emit(event: GdoiEvent): void;
  exportKeys(record: CryptoKeyRecord): void;
}
