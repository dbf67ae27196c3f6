// /odds — the B2B odds screen (public page; the ProphetX login lives inside it). See docs/b2b-odds-screen.md.
import type { Metadata } from "next";
import { OddsScreen } from "@/components/odds/OddsScreen";

export const metadata: Metadata = { title: "ProphetX odds" };
export const dynamic = "force-dynamic";

export default function OddsPage() {
  return <OddsScreen />;
}
