import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/shell/EmptyState";

export const metadata: Metadata = { title: "Parlay requests" };

export default function RfqsPage() {
  return (
    <>
      <PageHeader title="Parlay requests" subtitle="Live RFQs, our quotes and their outcome." />
      <EmptyState title="No parlay requests yet." />
    </>
  );
}
