// zod schemas for the ProphetX responses we read. Loose objects: unknown fields are kept, so the
// same client works against the simulator and the real sandbox as fields get added.
import { z } from "zod";

const num = z.number();
const intish = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]);
/** ns timestamps: numbers (possibly inexact) or strings; kept as decimal strings. */
export const zNs = z.union([z.number(), z.string(), z.bigint()]).transform((v) => (typeof v === "number" ? BigInt(Math.round(v)).toString() : String(v)));

export const zLoginData = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  access_expire_time: num,
  refresh_expire_time: num.optional(),
});
export const zRefreshData = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  access_expire_time: num.optional(),
});

export const zConnectionConfig = z.looseObject({
  key: z.string().min(1),
  cluster: z.string().default("mt1"),
  app_id: z.union([z.string(), z.number()]).optional(),
  ws_host: z.string().optional(),
  ws_port: z.number().int().optional(),
  use_tls: z.boolean().optional(),
});
export type ConnectionConfig = z.infer<typeof zConnectionConfig>;

export const zBindingEvent = z.union([z.string(), z.looseObject({ name: z.string(), type: z.string().optional() })]);
export const zAuthorizedChannel = z.looseObject({
  channel_name: z.string(),
  auth: z.string().optional(),
  binding_events: z.array(zBindingEvent).nullish().transform((v) => v ?? []),
});
export const zRegisterResponse = z.looseObject({
  auth: z.string().optional(),
  data: z
    .looseObject({
      success: z.boolean().optional(),
      status: z.string().optional(),
      authorized_channel: z.array(zAuthorizedChannel).nullish().transform((v) => v ?? []),
    })
    .optional(),
});
export type RegisterResponse = z.infer<typeof zRegisterResponse>;
export type AuthorizedChannel = z.infer<typeof zAuthorizedChannel>;

export const zTournament = z.looseObject({
  id: intish,
  name: z.string(),
  sport: z.looseObject({ id: intish, name: z.string() }).nullish(),
  category: z.looseObject({ id: intish.optional(), name: z.string().optional() }).nullish(),
});
export type PxTournament = z.infer<typeof zTournament>;

export const zCompetitor = z.looseObject({ id: intish.optional(), name: z.string().optional(), side: z.string().optional() });
export const zSportEvent = z.looseObject({
  event_id: intish,
  name: z.string(),
  display_name: z.string().nullish(),
  scheduled: z.string().nullish(),
  status: z.string().nullish(),
  tournament_id: intish,
  tournament_name: z.string().nullish(),
  sport_name: z.string().nullish(),
  competitors: z.array(zCompetitor).nullish(),
});
export type PxSportEvent = z.infer<typeof zSportEvent>;

export const zSelection = z.looseObject({
  line_id: z.string().optional(),
  outcome_id: intish.optional(),
  name: z.string().optional(),
  line: z.number().nullish(),
  odds: z.number().nullish(),
  stake: z.number().nullish(),
  value: z.number().nullish(),
  competitor_id: intish.nullish(),
});
export type PxSelection = z.infer<typeof zSelection>;
const zSides = z.array(z.array(zSelection)).nullish();
/** `sequence_number` (simulator extra, protocol-decisions.md): the line's market_selections sequence at snapshot time. */
export const zMarketLineBlock = z.looseObject({ line: z.number().nullish(), favourite: z.boolean().nullish(), sequence_number: intish.nullish(), selections: zSides });
export const zMarket = z.looseObject({
  id: intish,
  name: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  selections: zSides,
  market_lines: z.array(zMarketLineBlock).nullish(),
});
export type PxMarket = z.infer<typeof zMarket>;

export const zWager = z.looseObject({
  id: z.string(),
  external_id: z.string(),
  line_id: z.string().optional(),
  sport_event_id: intish.optional(),
  market_id: intish.optional(),
  odds: z.number().optional(),
  stake: z.number().optional(),
  matched_stake: z.number().nullish(),
  totally_matched_stake: z.number().nullish(),
  unmatched_stake: z.number().nullish(),
  status: z.string(),
  matching_status: z.string().nullish(),
  winning_status: z.string().nullish(),
  update_type: z.string().nullish(),
  sequence_number: z.union([z.number(), z.string()]).nullish(),
});
export type PxWager = z.infer<typeof zWager>;

export const zPlaceBatchData = z.looseObject({
  succeed_wagers: z.array(z.looseObject({ id: z.string(), external_id: z.string(), status: z.string().optional() })).nullish().transform((v) => v ?? []),
  failed_wagers: z
    .array(z.looseObject({ external_id: z.string(), error: z.string().optional(), message: z.string().optional() }))
    .nullish()
    .transform((v) => v ?? []),
});

export const zSpOrder = z.looseObject({
  order_uuid: z.string(),
  p_id: z.string().optional(),
  parlay_id: z.string().optional(),
  status: z.string(),
  odds: z.number().optional(),
  stake: z.number().optional(),
  confirmed_stake: z.number().optional(),
  settlement_status: z.string().nullish(),
  profit: z.number().nullish(),
});
export type PxSpOrder = z.infer<typeof zSpOrder>;

// ── socket payloads ──
export const zEnvelope = z.looseObject({
  timestamp: z.union([z.number(), z.string()]).optional(),
  change_type: z.string().optional(),
  op: z.string().optional(),
  payload: z.unknown(),
});

export const zMarketSelectionsPayload = z.looseObject({
  sport_event_id: intish,
  market_id: intish,
  info: z.looseObject({
    id: z.union([z.string(), z.number()]).optional(),
    line: z.number().nullish(),
    type: z.string().optional(),
    sequence_number: z.union([z.number(), z.string()]).transform((v) => Number(v)),
    selections: z.array(z.array(zSelection)),
  }),
});
export type PxMarketSelectionsPayload = z.infer<typeof zMarketSelectionsPayload>;

export const zMatchedBetPayload = z.looseObject({
  info: z.looseObject({
    sport_event_id: intish,
    market_id: intish,
    line_id: z.string(),
    odds: z.number().optional(),
    matched_odds: z.number(),
    matched_stake: z.number(),
  }),
});

export const zRfqPayload = z.looseObject({
  parlay_id: z.string(),
  stake: z.number(),
  callback_url: z.string(),
  created_at: zNs.optional(),
  creator_id: z.string().nullish(),
  market_lines: z.array(
    z.looseObject({ line_id: z.string(), market_id: intish, outcome_id: intish, sport_event_id: intish, line: z.number().nullish() }),
  ),
});
export type PxRfq = z.infer<typeof zRfqPayload>;

export const zConfirmPayload = z.looseObject({
  parlay_id: z.string(),
  order_uuid: z.string().nullish(),
  callback_url: z.string(),
  odds: z.number(),
  stake: z.number(),
  max_risk: z.number().nullish(),
});
export type PxConfirm = z.infer<typeof zConfirmPayload>;

export const zOrderEventPayload = z.looseObject({
  parlay_id: z.string(),
  order_uuid: z.string().nullish(),
  confirmed_stake: z.number().nullish(),
  matched_stake: z.number().nullish(),
  matched_odds: z.number().nullish(),
  odds: z.number().nullish(),
  status: z.string().nullish(),
  settlement_status: z.string().nullish(),
  profit: z.number().nullish(),
});
export type PxOrderEvent = z.infer<typeof zOrderEventPayload>;
