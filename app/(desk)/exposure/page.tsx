import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/shell/EmptyState";

export const metadata: Metadata = { title: "Exposure" };

export default function ExposurePage() {
  return (
    <>
      <PageHeader title="Exposure" subtitle="Worst-case loss by event, line, team and counterparty." />
      <EmptyState title="No open parlay orders." />
    </>
  );
}
