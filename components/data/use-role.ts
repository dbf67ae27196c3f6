"use client";
import { useSession } from "next-auth/react";

export const useRole = (): "trader" | "viewer" => {
  const { data } = useSession();
  return (data?.user as { role?: string } | undefined)?.role === "trader" ? "trader" : "viewer";
};
