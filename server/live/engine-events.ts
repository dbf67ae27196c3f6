// Live engine events for the browser: rows of the EngineEvent outbox after a given seq, streamed as
// Server-Sent Events. On Postgres a trigger NOTIFYs `engine_events` so new rows cross processes at
// once; on SQLite (one machine) we poll the indexed seq every 50 ms. Both paths read the table, so a
// reconnecting browser resumes from Last-Event-ID without gaps.
import { EventEmitter } from "node:events";
import pg from "pg";
import type { Db, DbProvider } from "../db/client.ts";

export type LiveEvent = { seq: number; type: string; payload: unknown; createdAt: string };

const BATCH = 500;
// One indexed read per tick; 50 ms keeps event-to-screen well inside the 250 ms budget.
const SQLITE_POLL_MS = 50;
const FALLBACK_POLL_MS = 2_000;
const KEEPALIVE_MS = 15_000;

export const readEventsAfter = async (db: Db, afterSeq: number, limit = BATCH): Promise<LiveEvent[]> => {
  const rows = await db.engineEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: limit });
  return rows.map((r) => {
    let payload: unknown = null;
    try {
      payload = JSON.parse(r.payloadJson);
    } catch {
      payload = { unparsable: true };
    }
    return { seq: r.seq, type: r.type, payload, createdAt: r.createdAt.toISOString() };
  });
};

export const latestSeq = async (db: Db): Promise<number> =>
  (await db.engineEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0;

/** One LISTEN connection per process, shared by every open stream. */
class PgNotifier extends EventEmitter {
  private client: pg.Client | null = null;
  private starting: Promise<void> | null = null;

  constructor(private readonly url: string) {
    super();
    this.setMaxListeners(10_000);
  }

  ensure(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.starting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on("notification", () => this.emit("wake"));
      client.on("error", () => {
        this.client = null;
        this.starting = null;
      });
      await client.connect();
      await client.query("LISTEN engine_events");
      this.client = client;
    })().catch((err) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }
}

const notifiers = new Map<string, PgNotifier>();

export type StreamOptions = { db: Db; provider: DbProvider; databaseUrl: string; afterSeq: number | null; signal: AbortSignal };

export const engineEventStream = ({ db, provider, databaseUrl, afterSeq, signal }: StreamOptions): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let keepAlive: ReturnType<typeof setInterval> | null = null;
  let notifier: PgNotifier | null = null;
  let onWake: (() => void) | null = null;
  let closed = false;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = afterSeq ?? (await latestSeq(db));
      let reading = false;
      let again = false;
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        if (keepAlive) clearInterval(keepAlive);
        if (notifier && onWake) notifier.off("wake", onWake);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      const pump = async () => {
        if (closed) return;
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          do {
            again = false;
            const events = await readEventsAfter(db, last);
            for (const e of events) {
              controller.enqueue(encoder.encode(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
              last = e.seq;
            }
            if (events.length === BATCH) again = true;
          } while (again && !closed);
        } catch (err) {
          controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ message: (err as Error).message })}\n\n`));
        } finally {
          reading = false;
        }
      };
      const schedule = (ms: number) => {
        if (closed) return;
        timer = setTimeout(async () => {
          await pump();
          schedule(ms);
        }, ms);
      };
      signal.addEventListener("abort", close, { once: true });
      controller.enqueue(encoder.encode(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ afterSeq: last })}\n\n`));
      keepAlive = setInterval(() => !closed && controller.enqueue(encoder.encode(`: keep-alive\n\n`)), KEEPALIVE_MS);
      if (provider === "postgres") {
        notifier = notifiers.get(databaseUrl) ?? new PgNotifier(databaseUrl);
        notifiers.set(databaseUrl, notifier);
        onWake = () => void pump();
        notifier.on("wake", onWake);
        await notifier.ensure().catch(() => undefined);
        schedule(FALLBACK_POLL_MS);
      } else {
        schedule(SQLITE_POLL_MS);
      }
      await pump();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (keepAlive) clearInterval(keepAlive);
      if (notifier && onWake) notifier.off("wake", onWake);
    },
  });
};
