// HTTP clients for the ProphetX end-user API (session, /me, geocomply, trade wagers) and the
// affiliate market-data API. Server-side only: tokens pass through here and nowhere near the browser.
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class PxApiError extends Error {
  constructor(
    readonly status: number,
    /** The exchange's error code (`odds_changed`, `unauthorized`, …), or "network_error". */
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "PxApiError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** `{data: {...}}` or the bare object — both are seen on the user API. */
const payload = (body: unknown): Obj => (isObj(body) && isObj(body.data) ? body.data : isObj(body) ? body : {});
const strField = (o: Obj, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
  }
  return null;
};

const call = async (fetchFn: FetchLike, url: string, init: RequestInit & { timeoutMs?: number }): Promise<unknown> => {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 10_000) });
  } catch (err) {
    throw new PxApiError(0, "network_error", `could not reach ${new URL(url).host}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { raw: text.slice(0, 500) };
  }
  if (!res.ok) {
    const b = isObj(body) ? body : {};
    const code = typeof b.error === "string" ? b.error : isObj(b.error) && typeof b.error.code === "string" ? b.error.code : `http_${res.status}`;
    const message = typeof b.message === "string" ? b.message : `HTTP ${res.status}`;
    throw new PxApiError(res.status, code, message, b);
  }
  return body;
};

export type PxTokens = { accessToken: string; refreshToken: string };

export class PxUserClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: FetchLike = fetch,
  ) {}

  private json(method: string, path: string, opts: { bearer?: string; body?: unknown } = {}): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    return call(this.fetchFn, `${this.baseUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  }

  private tokens(body: unknown, previousRefresh?: string): PxTokens & { accessToken: string | null } {
    const p = payload(body);
    const accessToken = strField(p, "accessToken", "access_token");
    const refreshToken = strField(p, "refreshToken", "refresh_token") ?? previousRefresh ?? null;
    if (!refreshToken) throw new PxApiError(502, "bad_response", "the session response carried no refresh token");
    return { accessToken: accessToken as string, refreshToken };
  }

  async login(email: string, password: string): Promise<PxTokens> {
    const t = this.tokens(await this.json("POST", "/api/v1/auth/login", { body: { email, password } }));
    if (!t.accessToken) throw new PxApiError(502, "bad_response", "the login response carried no access token");
    return t;
  }

  /** New refresh token (and an access token when the service returns one — the simulator does). */
  async extendSession(refreshToken: string): Promise<{ accessToken: string | null; refreshToken: string }> {
    return this.tokens(await this.json("POST", "/api/v1/auth/extend-session", { bearer: refreshToken }), refreshToken);
  }

  async me(accessToken: string): Promise<{ userId: string; email: string | null }> {
    const p = payload(await this.json("GET", "/api/v1/me", { bearer: accessToken }));
    const userId = strField(p, "id", "user_id", "userId");
    if (!userId) throw new PxApiError(502, "bad_response", "/me carried no user id");
    return { userId, email: strField(p, "email") };
  }

  async geoLicense(accessToken: string): Promise<string> {
    const p = payload(await this.json("GET", "/api/v1/geocomply/license?isSecure=true", { bearer: accessToken }));
    const license = strField(p, "license", "licenseKey", "license_key");
    if (!license) throw new PxApiError(502, "bad_response", "the license response carried no license");
    return license;
  }

  /** The simulator's stand-in for the GeoComply browser SDK (simulator provider only). */
  async simulatedSdk(license: string, userId: string): Promise<string> {
    const p = payload(await this.json("POST", "/api/v1/geocomply/sim/sdk", { body: { license, userId } }));
    const packet = strField(p, "geoPacket");
    if (!packet) throw new PxApiError(502, "bad_response", "the simulated SDK returned no packet");
    return packet;
  }

  /** Raw decrypt response (verified by lib/b2b geoVerdict). */
  geoDecrypt(accessToken: string, geoPacket: string): Promise<unknown> {
    return this.json("POST", "/api/v1/geocomply/decrypt", { bearer: accessToken, body: { geoPacket } });
  }

  /**
   * POST /trade/private/api/v2/wagers {lineID, odds, stake}. `externalId` (our OddsPlay id) rides along
   * as `external_id` and as an Idempotency-Key header, so a retry cannot place twice.
   */
  async placeWager(accessToken: string, w: { lineId: string; odds: number; stake: number; externalId: string }): Promise<{ refId: string; wagerId: string | null; raw: unknown }> {
    const raw = await call(this.fetchFn, `${this.baseUrl}/trade/private/api/v2/wagers`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", "idempotency-key": w.externalId },
      body: JSON.stringify({ lineID: w.lineId, odds: w.odds, stake: w.stake, external_id: w.externalId }),
      timeoutMs: 15_000,
    });
    const p = payload(raw);
    const wager = isObj(p.wager) ? p.wager : p;
    const refId = strField(wager, "refId", "ref_id", "wager_ref_id", "id");
    if (!refId) throw new PxApiError(502, "bad_response", "the wager response carried no wager ref id");
    return { refId, wagerId: strField(wager, "id"), raw };
  }
}

export class AffiliateClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
    private readonly fetchFn: FetchLike = fetch,
  ) {}

  /** The affiliate API takes the raw key in Authorization — no "Bearer" prefix. */
  private get(path: string): Promise<unknown> {
    return call(this.fetchFn, `${this.baseUrl}${path}`, { method: "GET", headers: { authorization: this.key, accept: "application/json" } });
  }

  getTournaments(): Promise<unknown> {
    return this.get("/affiliate/get_tournaments");
  }
  getSportEvents(tournamentId: string): Promise<unknown> {
    return this.get(`/affiliate/get_sport_events?tournament_id=${encodeURIComponent(tournamentId)}`);
  }
  getMultipleMarkets(eventIds: string[]): Promise<unknown> {
    return this.get(`/affiliate/get_multiple_markets?event_ids=${eventIds.map(encodeURIComponent).join(",")}`);
  }
}
