// Engine settings: ONE source of truth, the `Setting` table, read by the engine at start and written
// only through `update_settings` commands (which the engine applies in memory and persists in the
// same step). The dashboard displays exactly these rows (server/desk/controls.ts, settings.ts).
//
//   "engine"          → EngineSettings (merged; legacy row, every field optional)
//   "risk.limits"     → Partial<RiskLimits> (merged; overrides the engine row, as server/desk reads it)
//   "sport.<id|name>" → { marginBps, maxRiskPerParlayCents, maxEventExposureCents } (replaced whole;
//                       <id> = the exchange sport id the desk uses, or a sport name / pricing key)
//
// Mapping to lib/pricing + lib/risk (docs/engine.md):
//   sport marginBps             → PricingConfig.margin.perLegBpsBySport[sport] (margin per leg of that sport)
//   sport maxRiskPerParlayCents → RiskLimits.maxRiskPerParlayCents = min over the parlay's sports
//   sport maxEventExposureCents → RiskLimits.maxEventExposureCents = min over the parlay's sports
//   engine maxTotalExposureCents→ RiskLimits.maxWorstCaseLossCents (unless risk.limits sets it)
import { DEFAULT_PRICING_CONFIG, type PricingConfig, type Sport } from "../../lib/pricing/index.ts";
import { DEFAULT_CONFIRMATION_POLICY, DEFAULT_RISK_LIMITS, type ConfirmationPolicy, type RiskLimits } from "../../lib/risk/index.ts";
import { sportFromName } from "./parlay/view.ts";

export type TierSetting = { marginBps?: number; maxRiskCents: number };

export type EngineSettings = {
  /** Tournament names or ids to trade; empty = all. */
  tournaments: string[];
  /** Market types whose lines we register as supported for parlays; empty = all priceable. */
  parlayMarketTypes: string[];
  offerValidMs: number;
  /** Time we have to answer price.confirm.new, from its receipt (exchange default 3 s). */
  confirmDeadlineMs: number;
  /** Answers that could not reach the exchange this long before the deadline are not sent (reject). */
  confirmSafetyMs: number;
  maxLegs: number;
  /** Book older than this → stale (pricing staleAfterMs, supported-lines withdrawal). */
  bookStaleMs: number;
  minConfirmEdgeBps: number;
  maxRiskPerParlayCents: number;
  /** Legacy name of the worst-case limit (every open order wins). */
  maxTotalExposureCents: number;
  maxEventExposureCents: number;
  /** Legacy: tier sizes (maxRiskCents → PricingConfig.tierMaxRiskCents). */
  tiers?: TierSetting[];
  /** Any PricingConfig field (margin merged one level deep). */
  pricing?: Partial<Omit<PricingConfig, "margin">> & { margin?: Partial<PricingConfig["margin"]> };
  /** Any RiskLimits field. */
  risk?: Partial<RiskLimits>;
  confirmation?: Partial<ConfirmationPolicy>;
};

export const DEFAULT_SETTINGS: EngineSettings = {
  tournaments: [],
  parlayMarketTypes: [],
  offerValidMs: 10_000,
  confirmDeadlineMs: 3_000,
  confirmSafetyMs: 150,
  maxLegs: 8,
  bookStaleMs: 60_000,
  minConfirmEdgeBps: DEFAULT_CONFIRMATION_POLICY.minEdgeBps,
  maxRiskPerParlayCents: DEFAULT_RISK_LIMITS.maxRiskPerParlayCents,
  maxTotalExposureCents: DEFAULT_RISK_LIMITS.maxWorstCaseLossCents,
  maxEventExposureCents: DEFAULT_RISK_LIMITS.maxEventExposureCents,
};

export type SportSettingValue = { marginBps?: number; maxRiskPerParlayCents?: number; maxEventExposureCents?: number };

export const ENGINE_KEY = "engine";
export const RISK_LIMITS_KEY = "risk.limits";
export const SPORT_PREFIX = "sport.";

/** The desk-visible settings state: exactly the rows of the Setting table the engine uses. */
export type SettingsState = {
  engine: EngineSettings;
  riskLimits: Partial<RiskLimits>;
  /** key suffix ("2", "basketball", "Ice Hockey") → value */
  sports: Map<string, SportSettingValue>;
};

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const MONEY_FIELDS = ["maxRiskPerParlayCents", "maxEventExposureCents", "maxTotalExposureCents", "maxLineExposureCents", "maxTeamExposureCents", "maxCreatorExposureCents", "maxWorstCaseLossCents", "minFreeBalanceCents"];

/** Validates an update_settings value for a key; returns an error message or undefined. */
export const validateSetting = (key: string, value: unknown): string | undefined => {
  if (!isObj(value)) return "value must be an object";
  for (const [k, v] of Object.entries(value)) {
    if (MONEY_FIELDS.includes(k) && !(typeof v === "number" && Number.isInteger(v) && v >= 0)) return `${k} must be an integer ≥ 0 (cents)`;
  }
  if (key.startsWith(SPORT_PREFIX)) {
    const allowed = new Set(["marginBps", "maxRiskPerParlayCents", "maxEventExposureCents"]);
    for (const k of Object.keys(value)) if (!allowed.has(k)) return `unknown sport setting ${k}`;
    const m = value.marginBps;
    if (m !== undefined && !(typeof m === "number" && Number.isFinite(m) && m >= 0 && m <= 5_000)) return "marginBps must be in 0..5000";
    if (key.length <= SPORT_PREFIX.length) return "sport key needs a sport id or name";
    return undefined;
  }
  if (key === ENGINE_KEY) {
    for (const k of ["offerValidMs", "confirmDeadlineMs", "confirmSafetyMs", "maxLegs", "bookStaleMs", "minConfirmEdgeBps"]) {
      const v = value[k];
      if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v >= 0)) return `${k} must be a number ≥ 0`;
    }
    return undefined;
  }
  if (key === RISK_LIMITS_KEY) return undefined;
  return `unknown settings key ${key}`;
};

export const emptySettingsState = (base: EngineSettings): SettingsState => ({ engine: base, riskLimits: {}, sports: new Map() });

/** Applies one stored/updated row to the state (engine and risk.limits merge; sport rows replace). */
export const applySettingRow = (s: SettingsState, key: string, value: unknown): SettingsState => {
  if (!isObj(value)) return s;
  if (key === ENGINE_KEY) return { ...s, engine: { ...s.engine, ...(value as Partial<EngineSettings>) } };
  if (key === RISK_LIMITS_KEY) return { ...s, riskLimits: { ...s.riskLimits, ...(value as Partial<RiskLimits>) } };
  if (key.startsWith(SPORT_PREFIX)) {
    const sports = new Map(s.sports);
    sports.set(key.slice(SPORT_PREFIX.length), value as SportSettingValue);
    return { ...s, sports };
  }
  return s;
};

/** The stored value of a key after an update (what the Setting row will hold). */
export const storedValue = (s: SettingsState, key: string): unknown =>
  key === ENGINE_KEY ? s.engine : key === RISK_LIMITS_KEY ? s.riskLimits : s.sports.get(key.slice(SPORT_PREFIX.length)) ?? {};

/**
 * Resolves a sport row suffix to a pricing sport: a pricing key ("ice_hockey"), an exchange sport
 * name ("Ice Hockey") or an exchange sport id ("4", through the tournaments we know).
 */
export const resolveSport = (suffix: string, sportNameById: (id: number) => string | undefined): Sport | undefined => {
  if (/^\d+$/.test(suffix)) return sportFromName(sportNameById(Number(suffix)));
  return sportFromName(suffix.replace(/_/g, " ")) ?? sportFromName(suffix);
};

/** Per-sport values keyed by pricing sport (a sport's id row wins over its name row). */
export const sportValues = (s: SettingsState, sportNameById: (id: number) => string | undefined): Map<Sport, SportSettingValue> => {
  const out = new Map<Sport, SportSettingValue>();
  const entries = [...s.sports].sort(([a], [b]) => Number(/^\d+$/.test(a)) - Number(/^\d+$/.test(b)));
  for (const [suffix, v] of entries) {
    const sport = resolveSport(suffix, sportNameById);
    if (sport) out.set(sport, { ...(out.get(sport) ?? {}), ...v });
  }
  return out;
};

export const pricingConfigOf = (s: SettingsState, sports: Map<Sport, SportSettingValue>): PricingConfig => {
  const e = s.engine;
  const p = e.pricing ?? {};
  const perLegBpsBySport: Partial<Record<Sport, number>> = { ...DEFAULT_PRICING_CONFIG.margin.perLegBpsBySport, ...(p.margin?.perLegBpsBySport ?? {}) };
  for (const [sport, v] of sports) if (typeof v.marginBps === "number") perLegBpsBySport[sport] = v.marginBps;
  return {
    ...DEFAULT_PRICING_CONFIG,
    staleAfterMs: e.bookStaleMs,
    maxLegs: e.maxLegs,
    ...(e.tiers && e.tiers.length > 0 ? { tierMaxRiskCents: e.tiers.map((t) => t.maxRiskCents) } : {}),
    ...p,
    margin: { ...DEFAULT_PRICING_CONFIG.margin, ...(p.margin ?? {}), perLegBpsBySport },
  } as PricingConfig;
};

/** Global limits (no sport applied). */
export const baseRiskLimitsOf = (s: SettingsState, paused: boolean): RiskLimits => {
  const e = s.engine;
  const r = s.riskLimits;
  return {
    ...DEFAULT_RISK_LIMITS,
    maxLegs: e.maxLegs,
    maxRiskPerParlayCents: e.maxRiskPerParlayCents,
    maxEventExposureCents: e.maxEventExposureCents,
    maxWorstCaseLossCents: e.maxTotalExposureCents,
    ...(e.risk ?? {}),
    ...r,
    paused: paused || !!r.paused || !!e.risk?.paused,
  };
};

/** Limits for a parlay touching these sports: per-sport caps tighten the global ones (min). */
export const riskLimitsFor = (base: RiskLimits, sports: Iterable<Sport>, values: Map<Sport, SportSettingValue>): RiskLimits => {
  let out = base;
  for (const sp of sports) {
    const v = values.get(sp);
    if (!v) continue;
    if (out === base) out = { ...base };
    if (typeof v.maxRiskPerParlayCents === "number") out.maxRiskPerParlayCents = Math.min(out.maxRiskPerParlayCents, v.maxRiskPerParlayCents);
    if (typeof v.maxEventExposureCents === "number") out.maxEventExposureCents = Math.min(out.maxEventExposureCents, v.maxEventExposureCents);
  }
  return out;
};

export const confirmationPolicyOf = (s: SettingsState): ConfirmationPolicy => ({ ...DEFAULT_CONFIRMATION_POLICY, minEdgeBps: s.engine.minConfirmEdgeBps, ...(s.engine.confirmation ?? {}) });
