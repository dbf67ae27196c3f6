import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/shell/EmptyState";

export const metadata: Metadata = { title: "Health & controls" };

export default function ControlsPage() {
  return (
    <>
      <PageHeader title="Health & controls" subtitle="Connection, heartbeat, lease, kill switch and settings." />
      <EmptyState title="Engine status appears here once the engine is running." />
    </>
  );
}
