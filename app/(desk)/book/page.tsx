import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/shell/EmptyState";

export const metadata: Metadata = { title: "Order book" };

export default function BookPage() {
  return (
    <>
      <PageHeader title="Order book" subtitle="Pick a tournament, event and market to see its ladder." />
      <EmptyState title="No markets loaded yet." />
    </>
  );
}
