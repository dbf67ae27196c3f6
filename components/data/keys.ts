// Query keys of the desk (one place, so live events and mutations invalidate the right caches).
export const qk = {
  all: ["desk"] as const,
  rfqs: (status?: string) => ["desk", "rfqs", status ?? "all"] as const,
  rfqsRoot: ["desk", "rfqs"] as const,
  rfq: (id: string) => ["desk", "rfq", id] as const,
  rfqRoot: ["desk", "rfq"] as const,
  bookTree: ["desk", "book", "tree"] as const,
  market: (key: string) => ["desk", "book", "market", key] as const,
  marketRoot: ["desk", "book", "market"] as const,
  exposure: (whatIf?: string | null) => ["desk", "exposure", whatIf ?? ""] as const,
  exposureRoot: ["desk", "exposure"] as const,
  settlements: ["desk", "settlements"] as const,
  controls: ["desk", "controls"] as const,
  overview: ["desk", "overview"] as const,
  audit: (page: number, actorType?: string) => ["desk", "audit", page, actorType ?? ""] as const,
  auditRoot: ["desk", "audit"] as const,
  command: (id: string) => ["desk", "command", id] as const,
};
