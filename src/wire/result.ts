// Result type shared by every wire format: parsing bytes from the network never
// throws, it returns either a typed value or a typed error naming the format.

/** Why a parse failed; a closed union so counters and debug lines can name it. */
export type WireErrorReason = "truncated" | "badLength" | "badVersion" | "badChecksum" | "badValue" | "unsupported";

/** A parse failure: which format, why, and a human-readable detail. */
export interface WireError {
  format: string;
  reason: WireErrorReason;
  detail: string;
}

/** Outcome of parsing one header or packet. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Builds a successful parse result. */
export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/** Builds a failed parse result. */
export function fail<T = never>(format: string, reason: WireErrorReason, detail: string): Parsed<T> {
  return { ok: false, error: { format, reason, detail } };
}
