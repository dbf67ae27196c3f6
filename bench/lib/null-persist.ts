// Diagnostic only (`--persist off` in bench/engine-latency.ts): a view of a real Db in which writes to
// the engine's per-RFQ / append-only tables are no-ops, so a run shows what the engine costs without
// its persistence work. Lease, settings, commands and reads go to the real database. The Persister
// writes its batches as raw INSERTs (`$executeRawUnsafe`), so raw writes to those tables are no-ops
// too, and a batch transaction made only of such no-ops resolves without touching the database.
import type { Db } from "../../server/db/client.ts";

const HOT = new Set(["parlayRequest", "parlayQuote", "parlayConfirmation", "parlayOrder", "auditLog", "engineEvent", "bookSnapshot", "matchedTrade", "tournament", "sportEvent", "market", "marketLine"]);
const WRITES = new Set(["create", "createMany", "update", "updateMany", "upsert", "delete", "deleteMany"]);

const HOT_TABLES = ["ParlayRequest", "ParlayLeg", "ParlayQuote", "ParlayConfirmation", "ParlayOrder", "AuditLog", "EngineEvent", "BookSnapshot", "MatchedTrade"];
const HOT_RAW = new RegExp(`^\\s*(INSERT\\s+INTO|UPDATE)\\s+"(${HOT_TABLES.join("|")})"`, "i");
const NOOP = Symbol("noop");

export const withoutHotWrites = (db: Db): Db =>
  new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "$executeRawUnsafe")
        return (sql: string, ...args: unknown[]) => (HOT_RAW.test(sql) ? Object.assign(Promise.resolve(0), { [NOOP]: true }) : target.$executeRawUnsafe(sql, ...args));
      if (prop === "$transaction")
        return (arg: unknown, ...rest: unknown[]) =>
          Array.isArray(arg) && arg.length > 0 && arg.every((x) => x && typeof x === "object" && NOOP in x) ? Promise.all(arg) : (target.$transaction as (...a: unknown[]) => unknown)(arg, ...rest);
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
