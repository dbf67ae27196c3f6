// /account/login: public customer sign-in. `?next=` is honoured only for same-origin relative paths.
import type { Metadata } from "next";
import Link from "next/link";
import { CustomerLoginForm } from "@/components/account/CustomerLoginForm";
import { safeNext } from "@/server/acca-place/safe-next";

export const metadata: Metadata = { title: "Sign in to your account" };
export const dynamic = "force-dynamic";

export default async function CustomerLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = safeNext(typeof sp.next === "string" ? sp.next : null);
  const fromAcca = next.startsWith("/acca");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-gray-800 bg-gray-900/60 p-6 shadow-xl shadow-black/20">
        <h1 className="text-lg font-semibold text-gray-100">Sign in</h1>
        <p className="mb-5 mt-1 text-sm text-gray-400">
          {fromAcca ? "Sign in to place your acca. Your slip will be waiting when you come back." : "Sign in to see your balance and open bets."}
        </p>
        <CustomerLoginForm next={next} />
        <p className="mt-6 text-xs text-gray-500">
          <Link className="text-sky-400 hover:underline" href={fromAcca ? next : "/acca"}>
            {fromAcca ? "Back to your acca" : "Acca designer"}
          </Link>
        </p>
      </div>
    </main>
  );
}
