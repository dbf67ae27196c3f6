import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { ControlsScreen } from "@/components/desk/ControlsScreen";

export const metadata: Metadata = { title: "Health & controls" };

export default function ControlsPage() {
  return (
    <>
      <PageHeader title="Health & controls" subtitle="Connections, heartbeat, token and rate limits; kill switch, quoting and per-sport settings." />
      <ControlsScreen />
    </>
  );
}
