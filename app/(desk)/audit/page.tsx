import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/shell/EmptyState";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every engine decision and trader action." />
      <EmptyState title="No audit entries yet." />
    </>
  );
}
