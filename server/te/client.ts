// A client for any TE-compatible server (the seed's API: /api/login, /api/leagues, …, /api/bets/*).
// It logs in with the operator's API key, keeps the session cookie, logs in again shortly before the
// cookie's Max-Age runs out, and retries once when the server answers 401 (expired or unknown
// session). No database or Next dependency: the app wires it up in house-client.ts.

export interface TeClientOptions {
  /** Base URL the API paths are appended to, e.g. "http://127.0.0.1:3000/te" (→ …/te/api/login). */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export class TeApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(message: string, status: number, body: unknown) {
    super(message);
    this.name = "TeApiError";
    this.status = status;
    this.body = body;
  }
}

export interface TeBetLeg {
  league: string;
  event: string;
  market?: string;
  selection?: string;
  player?: string;
}

export interface TeBetStruct {
  product?: string;
  matches: TeBetLeg[];
  acca_conditions?: { type: "wins"; condition: string; value: number }[];
}

export interface TePriceResponse {
  status: "ok";
  bet_id: string;
  price: string;
  fair_probability: number;
  margin?: number;
  description?: string;
  expires_at?: string;
  legs: Array<{ league: string; event: string; market: string; selection: string; description?: string; probability: number; kickoff?: string }>;
}

export interface TeShowResponse {
  bet_id?: string;
  stake: string | null;
  price: string;
  description: string;
  settled: "true" | "false";
  status: string;
  [k: string]: unknown;
}

export interface TeMatchInfo {
  name: string;
  id?: string;
  home?: string;
  away?: string;
  kickoff?: string;
  round?: number;
  state?: string;
  score?: string;
}

/** Renew the session this long before the cookie's Max-Age says it expires. */
const RENEW_BEFORE_MS = 60_000;

function sessionFrom(res: Response, now: number): { cookie: string; expiresAtMs: number } | null {
  const headers = res.headers as Headers & { getSetCookie?: () => string[] };
  const all = headers.getSetCookie?.() ?? (res.headers.get("set-cookie") ? [res.headers.get("set-cookie")!] : []);
  for (const line of all) {
    const [pair, ...attrs] = line.split(";");
    const eq = pair!.indexOf("=");
    if (eq <= 0) continue;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (!value) continue;
    let expiresAtMs = now + 60 * 60 * 1000;
    for (const a of attrs) {
      const [k, v] = a.split("=").map((s) => s.trim()) as [string, string | undefined];
      if (k.toLowerCase() === "max-age" && v) expiresAtMs = now + Number(v) * 1000;
      else if (k.toLowerCase() === "expires" && v && !attrs.some((x) => /max-age/i.test(x))) expiresAtMs = Date.parse(v);
    }
    return { cookie: `${name}=${value}`, expiresAtMs };
  }
  return null;
}

export class TeClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private session: { cookie: string; expiresAtMs: number } | null = null;
  private loggingIn: Promise<void> | null = null;

  constructor(o: TeClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, "");
    this.apiKey = o.apiKey;
    this.fetchFn = o.fetch ?? fetch;
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** Logs in (single flight: concurrent callers share one login). */
  login(): Promise<void> {
    this.loggingIn ??= this.doLogin().finally(() => {
      this.loggingIn = null;
    });
    return this.loggingIn;
  }

  private async doLogin(): Promise<void> {
    const res = await this.fetchFn(`${this.baseUrl}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ api_key: this.apiKey }).toString(),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await res.json().catch(() => null)) as { status?: string; message?: string } | null;
    if (!res.ok || body?.status !== "ok") {
      this.session = null;
      throw new TeApiError(`TE login failed: ${body?.message ?? res.statusText}`, res.status, body);
    }
    const s = sessionFrom(res, this.now());
    if (!s) throw new TeApiError("TE login succeeded but no session cookie was set", res.status, body);
    this.session = s;
  }

  private async request<T>(method: string, path: string, opts: { query?: Record<string, string | undefined>; json?: unknown; form?: Record<string, string> } = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    for (let attempt = 0; ; attempt++) {
      if (!this.session || this.session.expiresAtMs - RENEW_BEFORE_MS <= this.now()) await this.login();
      const headers: Record<string, string> = { accept: "application/json", cookie: this.session!.cookie };
      let body: string | undefined;
      if (opts.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(opts.json);
      } else if (opts.form) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        body = new URLSearchParams(opts.form).toString();
      }
      const res = await this.fetchFn(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      const parsed = (await res.json().catch(() => null)) as unknown;
      if (res.status === 401 && attempt === 0) {
        // Expired or unknown session (e.g. the server restarted or the hour is up): log in again once.
        this.session = null;
        continue;
      }
      const p = parsed as { status?: unknown; message?: unknown } | null;
      if (!res.ok || (p && p.status === "error")) {
        throw new TeApiError(typeof p?.message === "string" ? p.message : `TE ${method} ${path} failed with HTTP ${res.status}`, res.status, parsed);
      }
      return parsed as T;
    }
  }

  leagues = () => this.request<{ name: string; full_name: string }[]>("GET", "/api/leagues");
  teams = (league: string) => this.request<{ name: string }[]>("GET", "/api/teams", { query: { league } });
  matches = (league: string, status?: "upcoming" | "finished" | "all") => this.request<TeMatchInfo[]>("GET", "/api/matches", { query: { league, status } });
  goalscorers = (league: string, event?: string) => this.request<{ name: string; team: string }[]>("GET", "/api/goalscorers", { query: { league, event } });
  products = () => this.request<{ name: string; schema?: unknown }[]>("GET", "/api/products");
  price = (struct: TeBetStruct) => this.request<TePriceResponse>("POST", "/api/bets/price", { json: struct });
  create = (b: { bet_id: string; stake: string; price: string }) => this.request<{ status: "ok"; message?: string }>("POST", "/api/bets/create", { form: b });
  show = (betId: string) => this.request<TeShowResponse>("GET", "/api/bets/show", { query: { bet_id: betId } });
  /** Our extension (not in the seed): the stored struct of a bet_id. */
  struct = (betId: string) => this.request<{ status: "ok"; bet_id: string; bet: TeBetStruct; price: string; description: string; bet_status?: string }>("GET", "/api/bets/struct", { query: { bet_id: betId } });
  liabilities = () => this.request<unknown>("GET", "/api/admin/liabilities");
  getMargin = () => this.request<Record<string, unknown>>("GET", "/api/admin/margin");
  setMargin = (m: Record<string, number>) => this.request<Record<string, unknown>>("PUT", "/api/admin/margin", { json: m });
}
