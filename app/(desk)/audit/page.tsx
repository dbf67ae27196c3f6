import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { AuditScreen } from "@/components/desk/AuditScreen";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every engine decision and trader action." />
      <AuditScreen />
    </>
  );
}
