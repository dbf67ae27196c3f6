import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "@/components/shell/LoginForm";

export const metadata: Metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-gray-800 bg-gray-900/60 p-6 shadow-xl">
        <h1 className="text-lg font-semibold text-gray-100">Parlay Desk</h1>
        <p className="mb-5 mt-1 text-sm text-gray-400">Sign in to the trading desk.</p>
        <Suspense>
          <LoginForm />
        </Suspense>
        <p className="mt-6 text-xs text-gray-500">
          Public tools: <a className="text-sky-400 hover:underline" href="/arbitrage">arbitrage calculator</a> ·{" "}
          <a className="text-sky-400 hover:underline" href="/acca">acca designer</a>
        </p>
      </div>
    </main>
  );
}
