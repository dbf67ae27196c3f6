// Prefixed, time-sortable ids (ULID body), made by us before any call that sends them, so that a
// retry reuses the same id (TigerBeetle's rule; dub's prefixes).
import { ulid } from "ulid";

export type IdPrefix = "cmd" | "quo" | "cnf" | "wgr" | "evt" | "usr" | "ses" | "trf" | "ply" | "trk" | "tebet" | "eng" | "cus";

export const newId = (prefix: IdPrefix): string => `${prefix}_${ulid().toLowerCase()}`;

/** Exchange external ids allow only [A-Za-z0-9_-] and at most 100 chars. */
export const newExternalId = (): string => newId("wgr");
