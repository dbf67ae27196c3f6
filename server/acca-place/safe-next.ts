// Pure (no I/O): usable from pages and client code alike.

/**
 * `next` for after sign-in: only same-origin relative paths ("/acca?bet=…"); anything else
 * (absolute URLs, protocol-relative "//evil", "/\\evil", javascript:) falls back to `fallback`.
 */
export const safeNext = (next: string | null | undefined, fallback = "/account"): string => {
  if (!next || typeof next !== "string" || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\u0000-\u001f\\]/.test(next)) return fallback;
  try {
    const base = "http://same.origin.invalid";
    const u = new URL(next, base);
    if (u.origin !== base) return fallback;
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return fallback;
  }
};
