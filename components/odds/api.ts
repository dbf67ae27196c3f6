// Browser-side calls to /api/odds/*. The browser never sees a ProphetX token: it sends our HttpOnly
// session cookie and gets plain views back.
import type { OddsBoard } from "@/lib/b2b/odds-board";

export type SessionUser = { email: string; pxUserId: string; accessExpiresAt: string; refreshExpiresAt: string };
export type SessionInfo = { user: SessionUser | null; message?: string; geo: { provider: string; needsBrowserSdk: boolean } };
export type GeoView = { ok: boolean; provider: string; state: string | null; errorCode: number | null; isActiveStates: boolean | null; reason: string | null; checkedAt: string };
export type PlayView = { id: string; lineId: string; odds: number; stakeCents: number; status: string; wagerRefId: string | null; error: string | null; createdAt: string };

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const api = async <T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> => {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init?.method ?? "GET",
      credentials: "same-origin",
      headers: init?.body !== undefined ? { "content-type": "application/json" } : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new ApiFailure(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
  if (!res.ok) {
    const e = json?.error;
    throw new ApiFailure(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `The server answered ${res.status}.`, e?.details);
  }
  return json as T;
};

export const getBoard = () => api<OddsBoard>("/api/odds/markets");
export const getSession = () => api<SessionInfo>("/api/odds/session");
export const login = (email: string, password: string) => api<{ user: SessionUser }>("/api/odds/session", { method: "POST", body: { email, password } });
export const logout = () => api<{ ok: true }>("/api/odds/session", { method: "DELETE" });
export const checkGeo = () => api<{ geo: GeoView }>("/api/odds/geo", { method: "POST", body: {} });
export const getPlays = () => api<{ plays: PlayView[] }>("/api/odds/plays");
export const placePlay = (p: { lineId: string; odds: number; stakeCents: number }) => api<{ play: PlayView }>("/api/odds/plays", { method: "POST", body: p });
