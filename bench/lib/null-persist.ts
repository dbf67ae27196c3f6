// Diagnostic only (`--persist off` in bench/engine-latency.ts): a view of a real Db in which writes to
// the engine's per-RFQ / append-only tables are no-ops, so a run shows what the engine costs without
// its persistence work. Lease, settings, commands and reads go to the real database.
import type { Db } from "../../server/db/client.ts";

const HOT = new Set(["parlayRequest", "parlayQuote", "parlayConfirmation", "parlayOrder", "auditLog", "engineEvent", "bookSnapshot", "matchedTrade", "tournament", "sportEvent", "market", "marketLine"]);
const WRITES = new Set(["create", "createMany", "update", "updateMany", "upsert", "delete", "deleteMany"]);

export const withoutHotWrites = (db: Db): Db =>
  new Proxy(db, {
    get(target, prop, receiver) {
      const model = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== "string" || !HOT.has(prop) || !model || typeof model !== "object") return typeof model === "function" ? (model as (...a: unknown[]) => unknown).bind(target) : model;
      return new Proxy(model as object, {
        get(m, op, r) {
          const fn = Reflect.get(m, op, r) as unknown;
          if (typeof op === "string" && WRITES.has(op)) return async () => ({ count: 0 });
          return typeof fn === "function" ? (fn as (...a: unknown[]) => unknown).bind(m) : fn;
        },
      });
    },
  }) as Db;
