"use client";
// Customer sign-in: email + password → POST /account/api/login (sets the HttpOnly session cookie),
// then a full navigation to `next` (already sanitised by the page to a same-origin path).
import { useId, useState, type FormEvent } from "react";
import { signIn } from "./api";

export function CustomerLoginForm({ next }: { next: string }) {
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const r = await signIn(String(form.get("email") ?? "").trim(), String(form.get("password") ?? ""));
    if (!r.ok) {
      setPending(false);
      setError(r.message);
      return;
    }
    window.location.assign(next);
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" aria-label="Customer sign in" aria-describedby={error ? errorId : undefined} noValidate={false}>
      <div>
        <label htmlFor={emailId} className="block text-sm text-gray-300">
          Email
        </label>
        <input
          id={emailId}
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-invalid={error ? true : undefined}
          className="mt-1 w-full rounded-md border border-gray-700 bg-gray-950 px-3 py-2 text-gray-100 outline-none focus:border-sky-500 focus-visible:ring-2 focus-visible:ring-sky-400"
        />
      </div>
      <div>
        <label htmlFor={passwordId} className="block text-sm text-gray-300">
          Password
        </label>
        <input
          id={passwordId}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
          className="mt-1 w-full rounded-md border border-gray-700 bg-gray-950 px-3 py-2 text-gray-100 outline-none focus:border-sky-500 focus-visible:ring-2 focus-visible:ring-sky-400"
        />
      </div>
      {error && (
        <p id={errorId} role="alert" className="rounded-md border border-rose-800/70 bg-rose-950/40 px-3 py-2 text-sm text-rose-200">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className="w-full rounded-md bg-emerald-600 px-3 py-2 text-sm font-semibold text-white hover:bg-emerald-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-300 disabled:cursor-wait disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
