import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/shell/EmptyState";

export const metadata: Metadata = { title: "Settlements" };

export default function SettlementsPage() {
  return (
    <>
      <PageHeader title="Settlements" subtitle="Finalized, settled and failed orders as they happen." />
      <EmptyState title="No settlements yet." />
    </>
  );
}
