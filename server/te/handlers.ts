// Route handlers of the TE API, as plain (Request) => Response functions over a TeService. The Next
// route files under app/te/api/ call these; tests and the benchmark call them directly.

import { LEAGUES, getLeague, resultIfFinished, teamOf, upcomingMatches, currentSeason, findMatchByName } from "./catalog.ts";
import { productsForWire } from "./products.ts";
import { TeFailure } from "./errors.ts";
import { cookiePath, readCookie, readParams, readText, sessionCookie, teErrorResponse, teJson, TE_COOKIE } from "./http.ts";
import { wireMargin, type TeService } from "./service.ts";

export type TeHandler = (req: Request) => Promise<Response>;

const productsBody = JSON.stringify(productsForWire());
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

function leagueParam(url: URL) {
  const name = url.searchParams.get("league");
  if (!name) throw new TeFailure("league is required (e.g. ?league=ENG.1)");
  const league = getLeague(name);
  if (!league) throw new TeFailure(`league "${name}" not found (known: ${LEAGUES.map((l) => l.name).join(", ")})`, 404);
  return league;
}

export function createTeHandlers(service: () => TeService) {
  const authed =
    (fn: (req: Request, operatorId: string, svc: TeService) => Promise<unknown> | unknown): TeHandler =>
    async (req) => {
      try {
        const svc = service();
        const operatorId = await svc.authenticate(readCookie(req));
        const out = await fn(req, operatorId, svc);
        return out instanceof Response ? out : teJson(out);
      } catch (err) {
        return teErrorResponse(err);
      }
    };

  return {
    /** POST /te/api/login  api_key=… (form or JSON) */
    login: (async (req) => {
      try {
        const params = await readParams(req);
        const svc = service();
        const s = await svc.login(params.api_key);
        return teJson({ status: "ok" }, 200, { "set-cookie": sessionCookie(req, s.token, (s.expiresAtMs - svc.clock.nowMs()) / 1000) });
      } catch (err) {
        return teErrorResponse(err);
      }
    }) satisfies TeHandler,

    /** POST /te/api/logout */
    logout: (async (req) => {
      try {
        await service().logout(readCookie(req));
        return teJson({ status: "ok" }, 200, { "set-cookie": `${TE_COOKIE}=; Path=${cookiePath(req)}; Max-Age=0; HttpOnly; SameSite=Lax` });
      } catch (err) {
        return teErrorResponse(err);
      }
    }) satisfies TeHandler,

    /** GET /te/api/leagues */
    leagues: authed(() => LEAGUES.map((l) => ({ name: l.name, full_name: l.full_name, country: l.country }))),

    /** GET /te/api/teams?league= */
    teams: authed((req) => leagueParam(new URL(req.url)).teams.map((t) => ({ name: t.name }))),

    /** GET /te/api/matches?league=&status=upcoming|finished|all */
    matches: authed((req, _op, svc) => {
      const url = new URL(req.url);
      const league = leagueParam(url);
      const now = svc.clock.nowMs();
      const status = url.searchParams.get("status") ?? "upcoming";
      if (!["upcoming", "finished", "all"].includes(status)) throw new TeFailure(`status must be upcoming, finished or all (got "${status}")`);
      const list = status === "upcoming" ? upcomingMatches(league, now) : currentSeason(league, now);
      return list.flatMap((m) => {
        const result = resultIfFinished(m, now);
        if (status === "finished" && !result) return [];
        return [{
          name: m.name,
          id: m.id,
          home: m.home,
          away: m.away,
          kickoff: new Date(m.kickoffMs).toISOString(),
          round: m.round,
          state: result ? "finished" : m.kickoffMs <= now ? "in_play" : "upcoming",
          ...(result ? { score: `${result.home}-${result.away}` } : {}),
        }];
      });
    }),

    /** GET /te/api/goalscorers?league=[&event=Home vs Away] */
    goalscorers: authed((req, _op, svc) => {
      const url = new URL(req.url);
      const league = leagueParam(url);
      const event = url.searchParams.get("event");
      let teams = league.teams;
      if (event) {
        const m = findMatchByName(league, event, svc.clock.nowMs());
        if (!m) throw new TeFailure(`match "${event}" not found in ${league.name}`, 404);
        teams = [teamOf(league, m.home), teamOf(league, m.away)];
      }
      return teams.flatMap((t) => t.players.map((p) => ({ name: p.name, team: t.name })));
    }),

    /** GET /te/api/products */
    products: authed(() => new Response(productsBody, { headers: JSON_HEADERS })),

    /** POST /te/api/bets/price  (JSON pricing struct) */
    price: authed(async (req, op, svc) => new Response(await svc.priceText(op, await readText(req)), { headers: JSON_HEADERS })),

    /** POST /te/api/bets/create  bet_id=…&stake=…&price=… (form or JSON) */
    create: authed(async (req, op, svc) => svc.create(op, await readParams(req))),

    /** GET /te/api/bets/show?bet_id= */
    show: authed((req, op, svc) => svc.show(op, new URL(req.url).searchParams.get("bet_id"))),

    /** GET /te/api/bets/struct?bet_id= */
    struct: authed((req, op, svc) => svc.struct(op, new URL(req.url).searchParams.get("bet_id"))),

    /** GET /te/api/admin/liabilities */
    liabilities: authed((_req, op, svc) => svc.liabilities(op)),

    /** GET /te/api/admin/margin */
    getMargin: authed(async (_req, op, svc) => ({ status: "ok", ...wireMargin(await svc.marginFor(op)) })),

    /** PUT /te/api/admin/margin  {base_margin, per_leg_margin, min_price, max_price} */
    putMargin: authed(async (req, op, svc) => ({ status: "ok", ...wireMargin(await svc.setMargin(op, await readParams(req))) })),

    /** POST /te/api/admin/settle: settle every bet whose matches have finished (any operator's). */
    settle: authed(async (_req, _op, svc) => ({ status: "ok", ...(await svc.settle()) })),
  };
}

export type TeHandlers = ReturnType<typeof createTeHandlers>;

/** Method + path (under the /te mount) → handler name; used by the benchmark's plain HTTP server. */
export const TE_ROUTES: Record<string, keyof TeHandlers> = {
  "POST /te/api/login": "login",
  "POST /te/api/logout": "logout",
  "GET /te/api/leagues": "leagues",
  "GET /te/api/teams": "teams",
  "GET /te/api/matches": "matches",
  "GET /te/api/goalscorers": "goalscorers",
  "GET /te/api/products": "products",
  "POST /te/api/bets/price": "price",
  "POST /te/api/bets/create": "create",
  "GET /te/api/bets/show": "show",
  "GET /te/api/bets/struct": "struct",
  "GET /te/api/admin/liabilities": "liabilities",
  "GET /te/api/admin/margin": "getMargin",
  "PUT /te/api/admin/margin": "putMargin",
  "POST /te/api/admin/settle": "settle",
};
