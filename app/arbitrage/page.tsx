// /arbitrage — the arbitrage calculator (public, no login). API: POST /api/arbitrage, docs/arbitrage-api.md.
import type { Metadata } from "next";
import { ArbitrageCalculator } from "@/components/arbitrage/ArbitrageCalculator";

export const metadata: Metadata = { title: "Arbitrage calculator" };

export default function ArbitragePage() {
  return (
    <main className="min-h-screen">
      <ArbitrageCalculator />
    </main>
  );
}
