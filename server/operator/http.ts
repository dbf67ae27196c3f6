// The operator API's own thin HTTP layer: its error body is the seed's
// `{status:"FAILURE", errorCode, errorMessage?, failedBets?}`, not the shared route wrapper's.
import type { Db } from "../db/client.ts";
import { OperatorError } from "../../lib/operator/betslip.ts";
import { placeBets } from "./place-bets.ts";

/** Largest accepted request body (100 bets of about 1 KiB each fit easily). */
export const MAX_BODY_BYTES = 512 * 1024;

const json = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { "content-type": "application/json", ...headers } });

export const operatorError = (e: OperatorError): Response => json(e.status, JSON.stringify(e.toBody()));

/** Wraps an operator handler so that any thrown value becomes a seed-format error response. */
export const operatorRoute =
  (handler: (req: Request) => Promise<Response>) =>
  async (req: Request): Promise<Response> => {
    try {
      return await handler(req);
    } catch (e) {
      if (e instanceof OperatorError) return operatorError(e);
      console.error("[operator] unexpected error", e);
      return operatorError(new OperatorError("GENERAL_EXCEPTION", "unexpected error"));
    }
  };

/** POST /api/operator/bets, bound to a database (the route binds getDb(); tests bind a test DB). */
export const placeBetsHandler = (db: () => Db) =>
  operatorRoute(async (req) => {
    const text = await req.text();
    if (text.length > MAX_BODY_BYTES) throw new OperatorError("INVALID_BET_DETAILS", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    const r = await placeBets(db(), { idempotencyKey: req.headers.get("x-idempotency-key"), bodyText: text });
    return json(r.status, r.body, r.replayed ? { "idempotent-replayed": "true" } : {});
  });
