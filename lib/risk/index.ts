// Public API of the parlay risk library (pure).
export { exposureOf, withOrder, EMPTY_EXPOSURE, type ExposureLeg, type ExposureSnapshot, type OpenOrder, type OrderState } from "./exposure.ts";
export { riskCapacity, capTierRisk, DEFAULT_RISK_LIMITS, type BalanceSnapshot, type Capacity, type CapBinding, type CapacityRequest, type RiskLimits, type TierRequest } from "./limits.ts";
export {
  checkConfirmation,
  withinOffer,
  DEFAULT_CONFIRMATION_POLICY,
  type ConfirmationDecision,
  type ConfirmationInput,
  type ConfirmationPolicy,
  type ConfirmationRequest,
  type ConfirmRejectReason,
  type OfferedQuote,
  type WirePriceProbability,
} from "./confirm.ts";
