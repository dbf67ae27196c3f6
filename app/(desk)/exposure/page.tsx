import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/shell/EmptyState";
import { ExposureScreen } from "@/components/desk/ExposureScreen";

export const metadata: Metadata = { title: "Exposure" };

export default function ExposurePage() {
  return (
    <>
      <PageHeader title="Exposure" subtitle="Worst-case loss by event, line, team and counterparty against limits; realised P&L; what-if." />
      <Suspense>
        <ExposureScreen />
      </Suspense>
    </>
  );
}
