import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/options";
import { DeskNav } from "@/components/shell/DeskNav";
import { LiveBridge } from "@/components/desk/LiveBridge";

export const dynamic = "force-dynamic";

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect("/login");
  const user = session.user as { name?: string | null; email?: string | null; role?: string };
  return (
    <div className="flex min-h-screen">
      <DeskNav userName={user.name ?? user.email ?? "trader"} role={user.role ?? "viewer"} />
      {/* Bottom padding: the fixed live badge and kill switch must not cover the last row. */}
      <main className="min-w-0 flex-1 px-5 pb-16 pt-4">{children}</main>
      <LiveBridge />
    </div>
  );
}
