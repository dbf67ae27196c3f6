// Socket message decoding: envelope `{timestamp, change_type, payload, op}`; MM payloads are base64
// JSON, SP payloads JSON objects. Never throws: a bad message comes back as `{ ok: false }`.
export type DecodedMessage = { timestampNs: string | undefined; changeType: string | undefined; op: string | undefined; payload: unknown };
export type DecodeResult = { ok: true; msg: DecodedMessage } | { ok: false; reason: string };

const parseJson = (s: string): { ok: true; v: unknown } | { ok: false } => {
  try {
    return { ok: true, v: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
};

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes one Pusher event's data (already JSON-parsed by pusher-js, or a raw string). */
export const decodeEnvelope = (data: unknown): DecodeResult => {
  let env = data;
  if (typeof env === "string") {
    const p = parseJson(env);
    if (!p.ok) return { ok: false, reason: "envelope is not JSON" };
    env = p.v;
  }
  if (!env || typeof env !== "object" || Array.isArray(env)) return { ok: false, reason: "envelope is not an object" };
  const e = env as Record<string, unknown>;
  const ts = e.timestamp;
  const timestampNs = typeof ts === "number" ? BigInt(Math.round(ts)).toString() : typeof ts === "string" && /^\d+$/.test(ts) ? ts : undefined;
  const changeType = typeof e.change_type === "string" ? e.change_type : undefined;
  const op = typeof e.op === "string" ? e.op : undefined;
  // SP events may come without an envelope at all (the payload is the data itself).
  if (!("payload" in e)) return { ok: true, msg: { timestampNs, changeType, op, payload: e } };
  const raw = e.payload;
  if (raw && typeof raw === "object") return { ok: true, msg: { timestampNs, changeType, op, payload: raw } };
  if (typeof raw !== "string") return { ok: false, reason: "payload is neither a string nor an object" };
  const trimmed = raw.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const p = parseJson(trimmed);
    if (p.ok) return { ok: true, msg: { timestampNs, changeType, op, payload: p.v } };
    return { ok: false, reason: "payload JSON is invalid" };
  }
  if (!BASE64.test(trimmed)) return { ok: false, reason: "payload is not base64" };
  const text = Buffer.from(trimmed, "base64").toString("utf8");
  const p = parseJson(text);
  if (!p.ok) return { ok: false, reason: "base64 payload is not JSON" };
  return { ok: true, msg: { timestampNs, changeType, op, payload: p.v } };
};
