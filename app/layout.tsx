import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers/Providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Parlay Desk", template: "%s · Parlay Desk" },
  description: "ProphetX parlay market making, arbitrage calculator and accumulator designer",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <body className="min-h-screen bg-[#0b0f14] font-sans text-gray-200 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
