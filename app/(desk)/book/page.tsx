import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { BookScreen } from "@/components/desk/BookScreen";

export const metadata: Metadata = { title: "Order book" };

export default function BookPage() {
  return (
    <>
      <PageHeader title="Order book" subtitle="Both sides of a market, live; our wagers on it. Click a price to fill the ticket." />
      <BookScreen />
    </>
  );
}
