// Live engine events reach a subscriber on both databases: rows appended by another connection (as
// the engine process does) are streamed in seq order, and a reconnect resumes after the last id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db/client.ts";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { engineEventStream } from "./engine-events.ts";

type Frame = { id?: number; event?: string; data?: string };

/** Reads SSE frames until `count` events of type `type` arrived (bounded by timeoutMs). */
const collect = async (stream: ReadableStream<Uint8Array>, type: string, count: number, timeoutMs = 20_000): Promise<Frame[]> => {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buf = "";
  const deadline = Date.now() + timeoutMs;
  while (frames.filter((f) => f.event === type).length < count) {
    if (Date.now() > deadline) throw new Error(`only ${frames.length} frames after ${timeoutMs} ms`);
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
    if (next === null) continue;
    if (next.done) break;
    buf += decoder.decode(next.value, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const f: Frame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) f.id = Number(line.slice(4));
        else if (line.startsWith("event: ")) f.event = line.slice(7);
        else if (line.startsWith("data: ")) f.data = line.slice(6);
      }
      if (f.event) frames.push(f);
    }
  }
  reader.releaseLock();
  return frames.filter((f) => f.event === type);
};

describe.each(testProviders())("live engine events on %s", (provider) => {
  let t: TestDb;
  let writer: Db; // a second connection, like the engine process
  beforeAll(async () => {
    t = await createTestDb(provider);
    writer = createDb(t.url);
  });
  afterAll(async () => {
    await writer?.$disconnect();
    await t?.drop();
  });

  it("streams events appended by another connection, in order, and resumes after the last id", async () => {
    await writer.engineEvent.create({ data: { type: "rfq", payloadJson: JSON.stringify({ parlayId: "before-subscribe" }) } });
    const abort = new AbortController();
    const stream = engineEventStream({ db: t.db, provider, databaseUrl: t.url, afterSeq: null, signal: abort.signal });
    const reading = collect(stream, "rfq", 3);
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ["p1", "p2", "p3"]) await writer.engineEvent.create({ data: { type: "rfq", payloadJson: JSON.stringify({ parlayId: id }) } });
    const frames = await reading;
    abort.abort();
    // A fresh subscription starts at "now": the event from before it is not replayed.
    expect(frames.map((f) => JSON.parse(f.data!).payload.parlayId)).toEqual(["p1", "p2", "p3"]);
    const ids = frames.map((f) => f.id!);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    await writer.engineEvent.create({ data: { type: "rfq", payloadJson: JSON.stringify({ parlayId: "p4" }) } });
    const resumed = new AbortController();
    const again = await collect(engineEventStream({ db: t.db, provider, databaseUrl: t.url, afterSeq: ids[1]!, signal: resumed.signal }), "rfq", 2);
    resumed.abort();
    expect(again.map((f) => JSON.parse(f.data!).payload.parlayId)).toEqual(["p3", "p4"]);
  });
});
