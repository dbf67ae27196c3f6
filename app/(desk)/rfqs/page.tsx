import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { RfqsScreen } from "@/components/desk/RfqsScreen";

export const metadata: Metadata = { title: "Parlay requests" };

export default function RfqsPage() {
  return (
    <>
      <PageHeader title="Parlay requests" subtitle="Live RFQs, our quotes and their outcome. Select a row to override, decline or quote by hand." />
      <RfqsScreen />
    </>
  );
}
