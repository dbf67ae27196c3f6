// Wire shapes of the desk's read APIs (/api/desk/*). Plain data only: the browser imports these as
// types. Money is integer cents, odds American integers, probabilities 0..1, times ISO strings or ms.

export type RfqDisplayStatus = "pending" | "quoted" | "declined" | "confirmed" | "rejected" | "settled" | "failed" | "expired";

export type RfqLeg = {
  idx: number;
  lineId: string;
  sportEventId: number;
  marketId: number;
  outcomeId: number;
  line: number | null;
  fairProbability: number | null;
  bookOdds: number | null;
};

export type RfqTier = {
  id: string;
  tier: number;
  odds: number;
  maxRiskCents: number;
  marginBps: number;
  fairProbability: number;
  source: string;
  status: string;
  validUntilMs: number | null;
  sentAt: string;
};

export type RfqOrderSummary = {
  orderUuid: string;
  status: string;
  odds: number;
  confirmedStakeCents: number;
  riskCents: number;
  settlementStatus: string | null;
  profitCents: number | null;
};

export type RfqRow = {
  parlayId: string;
  receivedAt: string;
  stakeCents: number;
  status: string;
  displayStatus: RfqDisplayStatus;
  declineReason: string | null;
  creatorId: string | null;
  legs: RfqLeg[];
  fairProbability: number | null;
  fairOdds: number | null;
  /** The current offer (tiers not superseded), best tier first. */
  tiers: RfqTier[];
  marginBps: number | null;
  validUntilMs: number | null;
  order: RfqOrderSummary | null;
};

export type RfqList = { rows: RfqRow[]; total: number; serverTimeMs: number };

export type BookLevel = { odds: number; stakeCents: number };

export type LegDetail = RfqLeg & {
  eventName: string | null;
  sportName: string | null;
  marketName: string | null;
  /** moneyline | spread | total | … (decides whether the line is shown). */
  marketType: string | null;
  lineName: string | null;
  book: { bestOdds: number | null; bestStakeCents: number; levels: BookLevel[]; capturedAt: string } | null;
};

export type RfqDetail = RfqRow & {
  callbackUrl: string;
  legDetails: LegDetail[];
  allQuotes: RfqTier[];
  modelInputs: unknown;
  confirmations: {
    id: string;
    orderUuid: string | null;
    requestedOdds: number;
    requestedStakeCents: number;
    decision: string;
    reason: string | null;
    receivedAt: string;
    latencyMicros: number;
  }[];
  orders: RfqOrderSummary[];
  serverTimeMs: number;
};

export type BookTree = {
  tournaments: {
    id: number;
    name: string;
    sportName: string;
    events: { id: number; name: string; scheduledAt: string; status: string; markets: { key: string; name: string; type: string; status: string }[] }[];
  }[];
};

export type MarketBookLine = {
  lineId: string;
  name: string;
  outcomeId: number;
  line: number | null;
  status: string;
  levels: BookLevel[];
  bestOdds: number | null;
  bestStakeCents: number;
  capturedAt: string | null;
};

export type WagerRow = {
  externalId: string;
  wagerId: string | null;
  lineId: string;
  odds: number;
  stakeCents: number;
  matchedStakeCents: number;
  status: string;
  matchingStatus: string;
  updatedAt: string;
};

export type MarketBook = {
  market: { key: string; name: string; type: string; status: string; eventId: number; eventName: string };
  lines: MarketBookLine[];
  trades: { id: number; lineId: string; odds: number; stakeCents: number; matchedAt: string }[];
  wagers: WagerRow[];
};

export type ExposureItem = { key: string; label: string; cents: number; limitCents: number | null };

export type ExposureLimits = {
  maxLineExposureCents: number | null;
  maxEventExposureCents: number | null;
  maxTeamExposureCents: number | null;
  maxCreatorExposureCents: number | null;
  maxWorstCaseLossCents: number | null;
};

export type PnlPoint = { day: string; pnlCents: number; cumulativeCents: number };

export type WhatIf = {
  parlayId: string;
  liabilityCents: number;
  rows: { dimension: "line" | "event" | "team" | "creator" | "worst_case"; key: string; label: string; beforeCents: number; afterCents: number; limitCents: number | null }[];
};

export type ExposureView = {
  worstCaseCents: number;
  inFlightCents: number;
  acceptedCents: number;
  openOrders: number;
  limits: ExposureLimits;
  byEvent: ExposureItem[];
  byLine: ExposureItem[];
  byTeam: ExposureItem[];
  byCreator: ExposureItem[];
  pnl: PnlPoint[];
  whatIf: WhatIf | null;
};

export type SettlementRow = {
  orderUuid: string;
  parlayId: string;
  status: string;
  settlementStatus: string | null;
  odds: number;
  confirmedStakeCents: number;
  riskCents: number;
  profitCents: number | null;
  sport: string;
  legs: number;
  finalizedAt: string | null;
  settledAt: string | null;
  updatedAt: string;
};

export type SettlementsView = {
  rows: SettlementRow[];
  byDay: { day: string; pnlCents: number; count: number }[];
  bySport: { sport: string; pnlCents: number; count: number }[];
  totalPnlCents: number;
};

export type CommandView = {
  id: string;
  type: string;
  payload: unknown;
  createdBy: string;
  createdAt: string;
  status: string;
  processedAt: string | null;
  result: unknown;
};

export type SportSetting = { sportId: number; sportName: string; key: string; value: SportSettingValue | null; updatedAt: string | null; updatedBy: string | null };
export type SportSettingValue = { marginBps?: number; maxRiskPerParlayCents?: number; maxEventExposureCents?: number };

export type EngineStatusView = {
  connection: Record<string, string> | null;
  /** The worst (oldest) exchange heartbeat age over the products, as of `updatedAt`. */
  heartbeatAgeMs: number | null;
  /** Per product (`mm`, `sp`) heartbeat age in ms; null for a product with no heartbeat yet. */
  heartbeatAgesMs: Record<string, number | null> | null;
  tokenExpiresAt: string | null;
  /** Legacy per-bucket usage ratios (0..1); the current engine reports `rateLimitRequestsPerSec`. */
  rateLimitUsage: Record<string, number> | null;
  /** REST requests in the last second, out of `rateLimitPerSec`. */
  rateLimitRequestsPerSec: number | null;
  rateLimitPerSec: number;
  quotingPaused: boolean | null;
  pauseReasons: string[];
  killSwitch: boolean | null;
  queueDepth: number | null;
  role: string | null;
  exposureCents: number | null;
  realisedPnlCents: number | null;
  /** When the engine wrote this status (ages above are as of then). */
  updatedAt: string | null;
  counters: Record<string, number> | null;
};

export type ControlsView = {
  checkedAt: string;
  database: { ok: boolean; provider: string; latencyMs: number | null };
  lease: { holderId: string; acquiredAt: string; heartbeatAt: string; expiresAt: string; heartbeatAgeMs: number; expired: boolean } | null;
  engine: EngineStatusView;
  settings: { key: string; value: unknown; updatedAt: string; updatedBy: string }[];
  sports: SportSetting[];
  commands: CommandView[];
  openWagers: number;
};

export type AuditRow = { id: number; at: string; actorType: string; actorId: string; action: string; subjectType: string | null; subjectId: string | null; details: unknown };
export type AuditPage = { rows: AuditRow[]; total: number; page: number; pageSize: number };

export type OverviewView = {
  rfqsToday: number;
  rfqsTotal: number;
  quotedPct: number | null;
  openOrders: number;
  openWagers: number;
  worstCaseCents: number;
  pnlTodayCents: number;
  pnlTotalCents: number;
};
