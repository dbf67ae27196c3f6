// How a selection reads: a line's name plus its line, once. Pure (the browser imports it via
// components/data/format.ts; the exposure read side labels lines with it).
const MINUS = "\u2212";
/** A line as a trader reads it: "+3.5", "−0.5" (a true minus sign), "51.5" for totals. */
export const fmtLine = (line: number | null | undefined, opts: { total?: boolean } = {}): string => {
  if (line == null || !Number.isFinite(line)) return "";
  const abs = String(Math.abs(line));
  if (opts.total) return abs;
  return line > 0 ? `+${abs}` : line < 0 ? `${MINUS}${abs}` : "PK";
};
/**
 * A selection's label: the line's name plus its line, once. Exchange names often carry the line
 * already ("Over 51.5", "Los Angeles Rams -0.5"): then only the sign is normalised. Moneylines (and a
 * line of 0 on a market that is not a spread) show no line at all.
 */
export const fmtSelection = (name: string | null | undefined, line: number | null | undefined, marketType?: string | null): string => {
  const n = (name ?? "").trim();
  const type = marketType?.toLowerCase() ?? "";
  const total = type.includes("total") || /^(over|under)\b/i.test(n);
  if (line == null || !Number.isFinite(line) || type.includes("moneyline") || (line === 0 && !type.includes("spread"))) return n.replace(/\s+[+\-\u2212]?0(\.0+)?$/, "");
  const abs = String(Math.abs(line)).replace(".", "\\.");
  const m = n.match(new RegExp(`(^|\\s)([+\\-\\u2212]?)${abs}$`));
  if (m) {
    const head = n.slice(0, (m.index ?? 0) + m[1]!.length);
    return `${head}${fmtLine(line, { total })}`;
  }
  return n ? `${n} ${fmtLine(line, { total })}` : fmtLine(line, { total });
};
