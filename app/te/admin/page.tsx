import type { Metadata } from "next";
import { TeAdmin } from "@/components/te-admin/TeAdmin";

export const metadata: Metadata = { title: "Team Exotics admin" };

// The operator's view of its Team Exotics book: open liabilities by match and margin settings.
// Signs in with the operator's TE API key (the same login as the API; the cookie is scoped to /te).
export default function TeAdminPage() {
  return (
    <main className="mx-auto max-w-5xl px-5 py-6">
      <h1 className="text-lg font-semibold text-gray-100">Team Exotics admin</h1>
      <p className="mb-5 text-sm text-gray-400">Open liabilities by match and the margin applied to new prices.</p>
      <TeAdmin />
    </main>
  );
}
