"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

const DESK_LINKS = [
  { href: "/", label: "Overview" },
  { href: "/rfqs", label: "Parlay requests" },
  { href: "/book", label: "Order book" },
  { href: "/exposure", label: "Exposure" },
  { href: "/settlements", label: "Settlements" },
  { href: "/controls", label: "Health & controls" },
  { href: "/audit", label: "Audit log" },
] as const;

const TOOL_LINKS = [
  { href: "/arbitrage", label: "Arbitrage calculator" },
  { href: "/acca", label: "Acca designer" },
  { href: "/odds", label: "Odds screen" },
] as const;

export function DeskNav({ userName, role }: { userName: string; role: string }) {
  const pathname = usePathname();
  const isActive = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  return (
    <nav aria-label="Desk" className="flex w-52 shrink-0 flex-col border-r border-gray-800 bg-gray-950/70 px-3 py-4 text-sm">
      <div className="mb-5 px-2">
        <div className="font-semibold text-gray-100">Parlay Desk</div>
        <div className="text-xs text-gray-500">ProphetX service provider</div>
      </div>
      <ul className="space-y-0.5">
        {DESK_LINKS.map((l) => (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={isActive(l.href) ? "page" : undefined}
              className={`block rounded px-2 py-1.5 ${isActive(l.href) ? "bg-gray-800 text-white" : "text-gray-400 hover:bg-gray-900 hover:text-gray-200"}`}
            >
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
      <div className="mb-1 mt-6 px-2 text-xs uppercase tracking-wide text-gray-600">Tools</div>
      <ul className="space-y-0.5">
        {TOOL_LINKS.map((l) => (
          <li key={l.href}>
            <Link href={l.href} className="block rounded px-2 py-1.5 text-gray-400 hover:bg-gray-900 hover:text-gray-200">
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
      <div className="mt-auto border-t border-gray-800 px-2 pt-3 text-xs text-gray-500">
        <div className="truncate text-gray-300">{userName}</div>
        <div>role: {role}</div>
        <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="mt-2 text-sky-400 hover:underline">
          Sign out
        </button>
      </div>
    </nav>
  );
}
