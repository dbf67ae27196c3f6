// The engine's typed events: everything that can change engine state arrives as one of these on the
// single bounded queue. Producers (socket callbacks, pollers, finished REST calls) only enqueue.
import type { SocketMessage, Product, SocketState } from "../prophetx/socket.ts";
import type { PxMarket, PxSpOrder, PxWager } from "../prophetx/schemas.ts";

export type CommandRow = { id: string; type: string; payload: Record<string, unknown>; createdBy: string };

export type EngineEvent = { receivedAtMs: number } & (
  | { type: "lease"; held: boolean }
  | { type: "socket_message"; m: SocketMessage; /** performance.now() in the socket callback (latency benches). */ hr?: number }
  | { type: "socket_state"; product: Product; state: SocketState; reason?: string | undefined }
  | { type: "tick" }
  | { type: "command"; cmd: CommandRow }
  | { type: "seeded"; ok: boolean; error?: string | undefined; events: number }
  | { type: "reconcile_result"; reason: string; snapshot: Map<number, PxMarket[]> | undefined; error?: string | undefined }
  | { type: "place_result"; externalIds: string[]; succeeded: { externalId: string; wagerId: string; status: string | undefined }[]; failed: { externalId: string; error: string }[] }
  | { type: "wager_poll_result"; externalId: string; wager: PxWager | undefined; error?: string | undefined }
  | { type: "cancel_result"; scope: string; ok: boolean; error?: string | undefined }
  | { type: "offer_result"; parlayId: string; ok: boolean; error?: string | undefined }
  | { type: "confirm_result"; parlayId: string; orderUuid: string | undefined; action: "accept" | "reject"; ok: boolean; error?: string | undefined; httpStatus?: number | undefined }
  | { type: "balance_result"; cents: number | undefined; startedAtMs: number; error?: string | undefined }
  | { type: "sp_orders_result"; orders: PxSpOrder[] | undefined; error?: string | undefined }
  | { type: "supported_lines_result"; added: string[]; removed: string[]; ok: boolean; error?: string | undefined }
);

export type EngineEventType = EngineEvent["type"];

/** Book/reference deltas can be dropped under overload: reconciliation repairs them. */
export const isDroppable = (e: EngineEvent): boolean =>
  e.type === "tick" || (e.type === "socket_message" && e.m.product === "mm" && e.m.channelKind === "broadcast" && (e.m.changeType === "market_selections" || e.m.changeType === "matched_bet"));
