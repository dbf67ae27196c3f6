// B2B odds screen configuration from the environment (defaults: the embedded simulator).
import { z } from "zod";

const ZB2bEnv = z.object({
  SIM_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  PROPHETX_USER_API_URL: z.url().optional(),
  PROPHETX_AFFILIATE_URL: z.url().optional(),
  PROPHETX_AFFILIATE_KEY: z.string().min(1).default("sim-affiliate-key"),
  /** Comma list of tournament ids to show; unset = every tournament get_tournaments lists. */
  PROPHETX_AFFILIATE_TOURNAMENTS: z.string().optional(),
  TOKEN_ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes)").optional(),
  /** Customer.io-style tracking base URL; unset = tracking off. */
  TRACKING_URL: z.url().optional(),
  /** Full Authorization header value for the tracking endpoint (e.g. "Basic …"). */
  TRACKING_AUTHORIZATION: z.string().optional(),
  TRACKING_PLACEMENT_LOCATION: z.string().min(1).default("parlay-desk"),
  TRACKING_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** "simulator" (default: the exchange's own license/decrypt with a simulated SDK) or "geocomply". */
  GEO_PROVIDER: z.enum(["simulator", "geocomply"]).default("simulator"),
  ODDS_POLL_MS: z.coerce.number().int().min(500).max(60_000).default(3000),
});

export type B2bConfig = {
  userApiUrl: string;
  affiliateUrl: string;
  affiliateKey: string;
  tournaments: string[] | null;
  tokenKeyHex: string | null;
  trackingUrl: string | null;
  trackingAuthorization: string | null;
  placementLocation: string;
  trackingMaxAttempts: number;
  geoProvider: "simulator" | "geocomply";
  pollMs: number;
  /** Cookies get `Secure` when the app is served over https. */
  secureCookies: boolean;
};

const trim = (u: string) => u.replace(/\/+$/, "");

export const b2bConfigFrom = (source: Record<string, string | undefined>): B2bConfig => {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const e = ZB2bEnv.parse(cleaned);
  const sim = `http://127.0.0.1:${e.SIM_PORT}`;
  return {
    userApiUrl: trim(e.PROPHETX_USER_API_URL ?? sim),
    affiliateUrl: trim(e.PROPHETX_AFFILIATE_URL ?? sim),
    affiliateKey: e.PROPHETX_AFFILIATE_KEY,
    tournaments: e.PROPHETX_AFFILIATE_TOURNAMENTS ? e.PROPHETX_AFFILIATE_TOURNAMENTS.split(",").map((s) => s.trim()).filter(Boolean) : null,
    tokenKeyHex: e.TOKEN_ENCRYPTION_KEY ?? null,
    trackingUrl: e.TRACKING_URL ? trim(e.TRACKING_URL) : null,
    trackingAuthorization: e.TRACKING_AUTHORIZATION ?? null,
    placementLocation: e.TRACKING_PLACEMENT_LOCATION,
    trackingMaxAttempts: e.TRACKING_MAX_ATTEMPTS,
    geoProvider: e.GEO_PROVIDER,
    pollMs: e.ODDS_POLL_MS,
    secureCookies: (source.NEXTAUTH_URL ?? "").startsWith("https://"),
  };
};
