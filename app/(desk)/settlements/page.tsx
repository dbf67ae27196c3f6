import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { SettlementsScreen } from "@/components/desk/SettlementsScreen";

export const metadata: Metadata = { title: "Settlements" };

export default function SettlementsPage() {
  return (
    <>
      <PageHeader title="Settlements" subtitle="Finalized, settled and failed orders as they happen; realised P&L by day and by sport." />
      <SettlementsScreen />
    </>
  );
}
