"use client";
// Browser-side calls to the customer's account routes (/account/api/*). The session tokens live in
// an HttpOnly cookie; these calls only ever see {signedIn, balance, openBets, …}.

export interface OpenBet {
  betId: string;
  eventName: string;
  marketName: string;
  selectionName: string;
  decimalPrice: string;
  stake: number;
  potentialPayout: number;
  placedAt: string;
}

export type Me =
  | { signedIn: false }
  | { signedIn: true; userId: string; email: string; name: string; blocked: boolean; balance: number; pendingStakes: number; openBets: OpenBet[] };

export const ME_QUERY_KEY = ["account", "me"] as const;

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const res = await fetch("/account/api/me", { headers: { accept: "application/json" }, cache: "no-store", signal });
  const body = (await res.json().catch(() => null)) as (Me & { message?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.message ?? `Your account could not be loaded (HTTP ${res.status}).`);
  return body;
}

export async function signIn(email: string, password: string): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const res = await fetch("/account/api/login", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json().catch(() => null)) as { status?: string; message?: string } | null;
    if (res.ok && body?.status === "ok") return { ok: true };
    return { ok: false, message: body?.message ?? `Sign-in failed (HTTP ${res.status}).` };
  } catch {
    return { ok: false, message: "Could not reach the server. Check your connection and try again." };
  }
}

export async function signOut(): Promise<void> {
  await fetch("/account/api/logout", { method: "POST", headers: { accept: "application/json" } }).catch(() => undefined);
}

const moneyFormat = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const formatMoney = (v: number | string): string => moneyFormat.format(typeof v === "string" ? Number(v) : v);

export const loginHref = (next: string): string => `/account/login?next=${encodeURIComponent(next)}`;
