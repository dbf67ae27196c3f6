// Trader-editable settings as the desk reads them. Keys the desk writes (through update_settings):
//   "risk.limits"      → { maxLineExposureCents, maxEventExposureCents, maxTeamExposureCents, maxCreatorExposureCents, maxWorstCaseLossCents, ... }
//   "sport.<sportId>"  → { marginBps, maxRiskPerParlayCents, maxEventExposureCents }
import type { Db } from "../db/client.ts";
import type { ExposureLimits } from "./types.ts";
import { parseJson } from "./util.ts";

export const RISK_LIMITS_KEY = "risk.limits";
/** The engine keeps its whole settings object under this key (server/engine/engine.ts). */
export const ENGINE_SETTINGS_KEY = "engine";
export const sportSettingKey = (sportId: number): string => `sport.${sportId}`;

const n = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Limits from "risk.limits", falling back to the engine's own settings row ("engine": maxEventExposureCents, maxTotalExposureCents). */
export const readLimits = async (db: Db): Promise<ExposureLimits> => {
  const rows = await db.setting.findMany({ where: { key: { in: [ENGINE_SETTINGS_KEY, RISK_LIMITS_KEY] } } });
  const obj = (key: string) => {
    const v = parseJson(rows.find((r) => r.key === key)?.valueJson, {});
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  };
  const v = { ...obj(ENGINE_SETTINGS_KEY), ...obj(RISK_LIMITS_KEY) };
  return {
    maxLineExposureCents: n(v.maxLineExposureCents),
    maxEventExposureCents: n(v.maxEventExposureCents),
    maxTeamExposureCents: n(v.maxTeamExposureCents),
    maxCreatorExposureCents: n(v.maxCreatorExposureCents),
    maxWorstCaseLossCents: n(v.maxWorstCaseLossCents) ?? n(v.maxTotalExposureCents),
  };
};
