"use client";
// The audit log, newest first, paged, filterable by actor type.
import { useState } from "react";
import { useAudit } from "@/components/data/hooks";
import { fmtDateTime } from "@/components/data/format";
import { Empty, ErrorBox, Loading, btnCls, inputCls } from "./ui";

export function AuditScreen() {
  const [page, setPage] = useState(1);
  const [actor, setActor] = useState("");
  const q = useAudit(page, actor || undefined);
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / q.data.pageSize)) : 1;
  return (
    <div className="space-y-2 text-xs">
      <div className="flex items-end gap-2">
        <label className="flex flex-col gap-0.5 text-gray-400">
          Actor
          <select aria-label="Actor type" className={inputCls} value={actor} onChange={(e) => (setActor(e.target.value), setPage(1))}>
            <option value="">all</option>
            {["trader", "engine", "system", "customer"].map((a) => (
              <option key={a} value={a}>{a}</option>
            ))}
          </select>
        </label>
        <nav aria-label="Audit pages" className="ml-auto flex items-center gap-2">
          <button type="button" className={btnCls} disabled={page <= 1} onClick={() => setPage(page - 1)} aria-label="Previous page">‹ Prev</button>
          <span className="num text-gray-400">page {page} of {pages}{q.data ? ` · ${q.data.total.toLocaleString()} entries` : ""}</span>
          <button type="button" className={btnCls} disabled={page >= pages} onClick={() => setPage(page + 1)} aria-label="Next page">Next ›</button>
        </nav>
      </div>
      {q.isPending ? (
        <Loading label="Loading audit log…" />
      ) : q.isError ? (
        <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.rows.length === 0 ? (
        <Empty>No audit entries.</Empty>
      ) : (
        // Fixed layout: long actors, subjects and details are cut with the full text in a tooltip, so
        // the log never widens the page.
        <div className="overflow-x-auto">
          <table className="w-full min-w-[900px] table-fixed" aria-label="Audit log">
            <colgroup>
              <col className="w-36" />
              <col className="w-48" />
              <col className="w-44" />
              <col className="w-56" />
              <col />
            </colgroup>
            <thead className="text-[10px] uppercase text-gray-500">
              <tr><th className="text-left font-normal">At</th><th className="text-left font-normal">Actor</th><th className="text-left font-normal">Action</th><th className="text-left font-normal">Subject</th><th className="text-left font-normal">Details</th></tr>
            </thead>
            <tbody className={q.isPlaceholderData ? "opacity-60" : ""}>
              {q.data.rows.map((r) => {
                const actor = `${r.actorType}:${r.actorId}`;
                const subject = r.subjectType ? `${r.subjectType} ${r.subjectId ?? ""}`.trim() : "—";
                const details = JSON.stringify(r.details);
                return (
                  <tr key={r.id} className="border-t border-gray-800 align-top">
                    <td className="num whitespace-nowrap py-0.5 pr-2 text-gray-400">{fmtDateTime(r.at)}</td>
                    <td className="truncate pr-2" title={actor}>{actor}</td>
                    <td className="truncate pr-2 font-mono" title={r.action}>{r.action}</td>
                    <td className="truncate pr-2" title={subject}>{subject}</td>
                    <td className="truncate font-mono text-gray-500" title={details}>{details}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
