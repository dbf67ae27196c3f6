// Trader actions: validated command payloads written as EngineCommand rows for the engine (the only
// writer of trading tables), each with an AuditLog row, in one transaction. A client-supplied id
// (cmd_<ulid>) makes a retry idempotent: the same id returns the stored command, never a second row.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { newId } from "../ids.ts";
import { AppError } from "../http/errors.ts";
import { isValidAmerican } from "../../lib/odds/american.ts";
import type { CommandView } from "./types.ts";
import { commandView } from "./controls.ts";
import { nsToMs } from "./util.ts";

const Odds = z.number().int().refine(isValidAmerican, "American odds must be an integer with |odds| ≥ 100 and not −100");
const Cents = z.number().int();
const Tier = z.object({ odds: Odds, maxRiskCents: Cents.positive().max(100_000_000) });
const Tiers = z.array(Tier).min(1).max(5);
const ParlayId = z.string().min(1).max(200);
const Empty = z.object({}).strict().default({});

export const ZCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("kill_switch"), payload: z.object({ reason: z.string().max(500).optional() }).strict().default({}) }),
  z.object({ type: z.literal("pause_quoting"), payload: z.object({ reason: z.string().max(500).optional() }).strict().default({}) }),
  z.object({ type: z.literal("resume_quoting"), payload: Empty }),
  z.object({ type: z.literal("cancel_all"), payload: Empty }),
  z.object({ type: z.literal("place_wager"), payload: z.object({ lineId: z.string().min(1).max(200), odds: Odds, stakeCents: Cents.positive().max(10_000_000_000) }).strict() }),
  z.object({ type: z.literal("cancel_wager"), payload: z.object({ externalId: z.string().min(1).max(100) }).strict() }),
  z.object({ type: z.literal("override_quote"), payload: z.object({ parlayId: ParlayId, tiers: Tiers }).strict() }),
  z.object({ type: z.literal("decline_rfq"), payload: z.object({ parlayId: ParlayId, reason: z.string().max(500).optional() }).strict() }),
  z.object({ type: z.literal("manual_quote"), payload: z.object({ parlayId: ParlayId, tiers: Tiers }).strict() }),
  z.object({ type: z.literal("update_settings"), payload: z.object({ key: z.string().min(1).max(200).regex(/^[a-z0-9_.:-]+$/i), value: z.unknown() }).strict() }),
]);

export const ZCommandBody = z.intersection(z.object({ id: z.string().regex(/^cmd_[0-9a-z]{26}$/, "id must be cmd_<ulid>").optional() }), ZCommand);

export type CommandInput = z.infer<typeof ZCommand>;
export type CommandType = CommandInput["type"];
export type Actor = { id: string; email: string; name?: string };

const TERMINAL_RFQ = new Set(["finalized", "settled", "failed", "rejected", "expired", "accepted", "confirming"]);

const subjectOf = (c: CommandInput): { subjectType: string; subjectId: string | null } => {
  switch (c.type) {
    case "override_quote":
    case "decline_rfq":
    case "manual_quote":
      return { subjectType: "parlay", subjectId: c.payload.parlayId };
    case "place_wager":
      return { subjectType: "line", subjectId: c.payload.lineId };
    case "cancel_wager":
      return { subjectType: "wager", subjectId: c.payload.externalId };
    case "update_settings":
      return { subjectType: "setting", subjectId: c.payload.key };
    default:
      return { subjectType: "engine", subjectId: null };
  }
};

/** Refuses actions that can no longer work (unknown RFQ, finished RFQ, expired quote, unknown line/wager). */
const precheck = async (db: Db, c: CommandInput, nowMs: number): Promise<void> => {
  if (c.type === "override_quote" || c.type === "decline_rfq" || c.type === "manual_quote") {
    const r = await db.parlayRequest.findUnique({ where: { parlayId: c.payload.parlayId }, include: { quotes: { select: { validUntilNs: true, status: true } } } });
    if (!r) throw new AppError("not_found", `no parlay request ${c.payload.parlayId}`);
    if (TERMINAL_RFQ.has(r.status)) throw new AppError("conflict", `the parlay request is already ${r.status}`);
    if (c.type === "override_quote") {
      const live = r.quotes.filter((q) => q.status === "sent");
      if (live.length === 0) throw new AppError("conflict", "there is no sent quote to override; send a manual quote instead");
      const until = Math.max(...live.map((q) => nsToMs(q.validUntilNs) ?? 0));
      if (until <= nowMs) throw new AppError("conflict", "the quote has expired");
    }
  } else if (c.type === "place_wager") {
    const line = await db.marketLine.findUnique({ where: { lineId: c.payload.lineId }, select: { lineId: true } });
    if (!line) throw new AppError("not_found", `no line ${c.payload.lineId}`);
  } else if (c.type === "cancel_wager") {
    const w = await db.wager.findUnique({ where: { externalId: c.payload.externalId }, select: { externalId: true } });
    if (!w) throw new AppError("not_found", `no wager ${c.payload.externalId}`);
  }
};

export const enqueueCommand = async (db: Db, input: CommandInput & { id?: string | undefined }, actor: Actor, nowMs = Date.now()): Promise<{ command: CommandView; created: boolean }> => {
  const { id: givenId, ...rest } = input;
  const cmd = ZCommand.parse(rest);
  if (givenId) {
    const existing = await db.engineCommand.findUnique({ where: { id: givenId } });
    if (existing) {
      if (existing.type !== cmd.type || existing.createdBy !== actor.id) throw new AppError("conflict", "this command id was already used for a different command");
      return { command: commandView(existing), created: false };
    }
  }
  await precheck(db, cmd, nowMs);
  const id = givenId ?? newId("cmd");
  const { subjectType, subjectId } = subjectOf(cmd);
  const payloadJson = JSON.stringify(cmd.payload ?? {});
  try {
    const [row] = await db.$transaction([
      db.engineCommand.create({ data: { id, type: cmd.type, payloadJson, createdBy: actor.id, status: "pending" } }),
      db.auditLog.create({
        data: { actorType: "trader", actorId: actor.id, action: `command.${cmd.type}`, subjectType, subjectId, detailsJson: JSON.stringify({ commandId: id, email: actor.email, payload: cmd.payload ?? {} }) },
      }),
    ]);
    return { command: commandView(row), created: true };
  } catch (err) {
    // A concurrent retry with the same id won the insert: answer with the stored command.
    const existing = givenId ? await db.engineCommand.findUnique({ where: { id: givenId } }) : null;
    if (existing) return { command: commandView(existing), created: false };
    throw err;
  }
};

export const getCommand = async (db: Db, id: string): Promise<CommandView | null> => {
  const c = await db.engineCommand.findUnique({ where: { id } });
  return c ? commandView(c) : null;
};
