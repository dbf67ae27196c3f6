// Server side of the public acca designer (/acca): thin proxies from the browser to the TE service,
// made with the operator's own API key through the TE client, so the browser never sees the key.
// Reference data is cached briefly; pricing is rate-limited per client address.

import { RateLimiter, clientKeyOf } from "../http/rate-limit.ts";
import { TeApiError, type TeClient } from "./client.ts";
import { getHouseTeClient } from "./house-client.ts";

type ClientFor = (req: Request) => Promise<TeClient>;

const json = (body: unknown, status = 200, headers?: Record<string, string>) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

function failure(err: unknown): Response {
  if (err instanceof TeApiError && err.status >= 400 && err.status < 500 && err.status !== 401) {
    return json({ status: "error", message: err.message }, err.status);
  }
  console.error("[acca] TE call failed", err);
  return json({ status: "error", message: "the pricing service is unavailable; try again in a moment" }, 502);
}

const MAX_STRUCT_BYTES = 16 * 1024;

export function createAccaProxy(clientFor: ClientFor = (req) => getHouseTeClient(new URL(req.url).origin), opts: { now?: () => number } = {}) {
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { atMs: number; value: unknown }>();
  const cached = async <T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && now() - hit.atMs < ttlMs) return hit.value as T;
    const value = await load();
    if (cache.size > 500) cache.clear();
    cache.set(key, { atMs: now(), value });
    return value;
  };
  const priceLimiter = new RateLimiter({ perSecond: 10, burst: 30 }, now);

  const param = (req: Request, name: string) => new URL(req.url).searchParams.get(name)?.trim() || null;
  const missing = (name: string) => json({ status: "error", message: `${name} is required` }, 400);

  return {
    /** GET /acca/api/leagues */
    leagues: async (req: Request) => {
      try {
        const c = await clientFor(req);
        return json(await cached("leagues", 5 * 60_000, () => c.leagues()));
      } catch (err) {
        return failure(err);
      }
    },
    /** GET /acca/api/matches?league= (upcoming only) */
    matches: async (req: Request) => {
      const league = param(req, "league");
      if (!league) return missing("league");
      try {
        const c = await clientFor(req);
        const all = await cached(`matches:${league}`, 30_000, () => c.matches(league));
        const t = now();
        return json(all.filter((m) => !m.kickoff || Date.parse(m.kickoff) > t));
      } catch (err) {
        return failure(err);
      }
    },
    /** GET /acca/api/goalscorers?league=&event= */
    goalscorers: async (req: Request) => {
      const league = param(req, "league");
      if (!league) return missing("league");
      const event = param(req, "event") ?? undefined;
      try {
        const c = await clientFor(req);
        return json(await cached(`scorers:${league}:${event ?? ""}`, 5 * 60_000, () => c.goalscorers(league, event)));
      } catch (err) {
        return failure(err);
      }
    },
    /** POST /acca/api/price  (the pricing struct as JSON) */
    price: async (req: Request) => {
      const wait = priceLimiter.take(clientKeyOf(req));
      if (wait > 0) return json({ status: "error", message: "too many price requests; slow down" }, 429, { "retry-after": String(Math.ceil(wait)) });
      const text = await req.text();
      if (text.length > MAX_STRUCT_BYTES) return json({ status: "error", message: "the acca is too large" }, 413);
      let struct: unknown;
      try {
        struct = JSON.parse(text);
      } catch {
        return json({ status: "error", message: "the request body is not valid JSON" }, 400);
      }
      try {
        const c = await clientFor(req);
        return json(await c.price(struct as Parameters<TeClient["price"]>[0]));
      } catch (err) {
        return failure(err);
      }
    },
    /** GET /acca/api/bet?bet_id=  → the stored struct (to restore a shared slip) and its status */
    bet: async (req: Request) => {
      const betId = param(req, "bet_id");
      if (!betId) return missing("bet_id");
      try {
        const c = await clientFor(req);
        const [s, show] = await Promise.all([c.struct(betId), c.show(betId)]);
        return json({ status: "ok", bet_id: s.bet_id, bet: s.bet, price: s.price, description: s.description, bet_status: show.status, settled: show.settled });
      } catch (err) {
        return failure(err);
      }
    },
  };
}

export type AccaProxy = ReturnType<typeof createAccaProxy>;

const g = globalThis as unknown as { __accaProxy?: AccaProxy };
export const accaProxy = (): AccaProxy => (g.__accaProxy ??= createAccaProxy());
