// /acca: the public (guest-mode) acca designer. The page is a client component that talks to
// /acca/api/*, whose server side calls the Team Exotics service with the operator's API key.
import type { Metadata } from "next";
import { AccaDesigner } from "@/components/acca/AccaDesigner";

export const metadata: Metadata = { title: "Acca designer", description: "Design an “at least k of n” accumulator and see its price live." };

export default async function AccaPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const bet = typeof sp.bet === "string" && /^te_[0-9a-f]{24}$/.test(sp.bet) ? sp.bet : undefined;
  return <AccaDesigner initialBetId={bet} />;
}
