// Public surface of IOS NAT: configuration model, packet rewriting, the
// translation table and the data plane behind the IP stack's `nat` hook.

export * from "./nat-config.ts";
export * from "./nat-dataplane.ts";
export * from "./nat-packet.ts";
export * from "./nat-table.ts";
