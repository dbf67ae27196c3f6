"use client";
// Mounted once in the desk layout: opens the live event stream, shows its state, and owns the global
// kill-switch shortcut (Shift+K) and its confirmation dialog.
import { useEffect, useRef, useState } from "react";
import { useLiveEvents } from "@/components/data/use-live-events";
import { useRole, useSendCommand } from "@/components/data/hooks";
import { useDeskUi } from "@/components/stores/desk-ui";
import { btnCls, btnDanger } from "./ui";

export function LiveBridge() {
  useLiveEvents();
  const live = useDeskUi((s) => s.live);
  const setKillDialogOpen = useDeskUi((s) => s.setKillDialogOpen);
  const role = useRole();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
      if (e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "K" || e.key === "k")) {
        e.preventDefault();
        setKillDialogOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setKillDialogOpen]);

  const dot = live.state === "open" ? "bg-emerald-400" : live.state === "connecting" ? "bg-amber-300" : "bg-red-500";
  const text = live.state === "open" ? "Live" : live.state === "connecting" ? "Connecting…" : live.state === "reconnecting" ? "Reconnecting…" : "Offline";
  return (
    <>
      <div className="fixed bottom-3 right-4 z-30 flex items-center gap-3">
        <div role="status" aria-label="Live connection" className="flex items-center gap-2 rounded-full border border-gray-800 bg-gray-950/90 px-3 py-1 text-xs text-gray-300">
          <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
          <span>{text}</span>
          <span className="num text-gray-500">#{live.lastSeq}</span>
        </div>
        {role === "trader" && (
          <button type="button" className={`${btnDanger} text-xs`} aria-label="Kill switch" title="Kill switch (Shift+K)" onClick={() => setKillDialogOpen(true)}>
            Kill switch
          </button>
        )}
      </div>
      <KillSwitchDialog />
    </>
  );
}

function KillSwitchDialog() {
  const open = useDeskUi((s) => s.killDialogOpen);
  const setOpen = useDeskUi((s) => s.setKillDialogOpen);
  const role = useRole();
  const cmd = useSendCommand();
  const [error, setError] = useState<string | null>(null);
  const [sentId, setSentId] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) {
      setError(null);
      setSentId(null);
      setTimeout(() => confirmRef.current?.focus(), 0);
    }
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, setOpen]);

  if (!open) return null;
  const fire = async () => {
    setError(null);
    try {
      const c = await cmd.send({ type: "kill_switch", payload: { reason: "trader kill switch" } });
      setSentId(c.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/60" onClick={() => setOpen(false)}>
      <div role="dialog" aria-modal="true" aria-labelledby="kill-title" className="w-[28rem] rounded-lg border border-red-900 bg-gray-950 p-5 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <h2 id="kill-title" className="text-base font-semibold text-red-300">
          Trigger the kill switch?
        </h2>
        <p className="mt-2 text-sm text-gray-300">The engine cancels every open wager, declines new parlay requests and pauses quoting until a trader resumes it.</p>
        {role !== "trader" && <p className="mt-2 text-sm text-amber-300">Your role is viewer: only traders can do this.</p>}
        {sentId && (
          <p role="status" className="mt-3 rounded border border-emerald-900 bg-emerald-950/50 px-3 py-2 text-sm text-emerald-300">
            Kill switch sent ({sentId}). Watch Health &amp; controls for the engine&apos;s confirmation.
          </p>
        )}
        {error && (
          <p role="alert" className="mt-3 rounded border border-red-900 bg-red-950/60 px-3 py-2 text-sm text-red-300">
            {error}
          </p>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={btnCls} onClick={() => setOpen(false)}>
            {sentId ? "Close" : "Cancel"}
          </button>
          {!sentId && (
            <button ref={confirmRef} type="button" className={btnDanger} disabled={cmd.isPending || role !== "trader"} onClick={fire}>
              {cmd.isPending ? "Sending…" : "Confirm kill switch"}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
