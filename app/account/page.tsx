// /account: the signed-in customer's balance and open bets. Without a session cookie → sign in first.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AccountView } from "@/components/account/AccountView";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const jar = await cookies();
  if (!jar.get("cus_session")?.value) redirect("/account/login?next=%2Faccount");
  return <AccountView />;
}
