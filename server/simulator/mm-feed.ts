// The MM broadcast feed: every world and book change as `tournament_<id>` events on
// `private-broadcast-service=3-device_type=5`, envelope { timestamp, change_type, payload (base64
// JSON), op }. market_selections are coalesced per market line and carry a sequence number that
// grows by exactly 1 per message of that line, so a client can detect a lost message.

import { MM_BROADCAST_CHANNEL, mmBroadcastEvent } from "./channels";
import type { PusherServer } from "./pusher-server";
import { lineSelections, sportEventJson, tournamentJson } from "./serialize";
import { base64Json, dollars, nowNs, toJson } from "./wire";
import type { EventRuntime, LineRuntime, WorldListener, WorldRuntime } from "./world-runtime";

export type ChangeType = "tournament" | "sport_event" | "market" | "market_line" | "market_selections" | "matched_bet";

export class MmFeed implements WorldListener {
  private readonly dirty = new Set<LineRuntime>();
  private flushScheduled = false;
  private closed = false;
  messages = 0;

  constructor(
    private readonly pusher: PusherServer,
    private readonly world: WorldRuntime,
    private readonly simNow: () => number,
  ) {}

  private get listening(): boolean {
    return this.pusher.hasSubscribers(MM_BROADCAST_CHANNEL);
  }

  private publish(tournamentId: number, changeType: ChangeType, op: "c" | "u" | "d", payload: unknown): void {
    if (!this.listening) return;
    this.messages++;
    const envelope = { timestamp: nowNs(), change_type: changeType, payload: base64Json(payload), op };
    this.pusher.publish(MM_BROADCAST_CHANNEL, mmBroadcastEvent(tournamentId), toJson(envelope), changeType);
  }

  private tournamentOf(ev: EventRuntime) {
    return this.world.tournaments[ev.def.tournamentIndex]!;
  }

  private sportEvent(ev: EventRuntime, op: "c" | "u"): void {
    if (!this.listening) return;
    const info = sportEventJson(ev, this.tournamentOf(ev), ev.status === "not_started" ? undefined : this.world.scoreOf(ev, this.simNow()));
    this.publish(ev.def.tournamentId, "sport_event", op, {
      id: String(ev.def.eventId),
      tournament_id: String(ev.def.tournamentId),
      info: { ...info, sequence_number: Number(ev.updatedNs / 1000n) },
    });
  }

  private markets(ev: EventRuntime, op: "c" | "u"): void {
    if (!this.listening) return;
    const status = ev.status === "ended" ? "settled" : "active";
    for (const m of ev.def.markets) {
      this.publish(ev.def.tournamentId, "market", op, {
        id: String(ev.def.eventId),
        info: { id: m.marketId, sport_event_id: ev.def.eventId, name: m.name, type: m.type, status, description: m.name, sequence_number: Number(ev.updatedNs / 1000n) },
      });
    }
    for (const line of ev.lines) {
      for (const o of line.def.outcomes) {
        this.publish(ev.def.tournamentId, "market_line", op, {
          id: line.def.id,
          info: {
            id: line.def.id,
            sport_event_id: ev.def.eventId,
            market_id: line.def.marketId,
            outcome_id: o.outcomeId,
            line: o.line ?? 0,
            line_id: o.lineId,
            type: line.def.marketType,
            name: o.name,
            status: line.status,
            favourite: line.def.favourite,
            sequence_number: line.sequence,
          },
        });
      }
    }
  }

  onListed(ev: EventRuntime): void {
    // The tournament's event list changed: a tournament update, then the new event.
    if (this.listening) {
      const t = this.tournamentOf(ev);
      this.publish(ev.def.tournamentId, "tournament", "u", {
        id: String(t.spec.id),
        info: { ...tournamentJson(t, nowNs()), sequence_number: Number(nowNs() / 1000n) },
      });
    }
    this.sportEvent(ev, "c");
    this.markets(ev, "c");
    for (const line of ev.lines) this.markDirty(line);
  }

  onLive(ev: EventRuntime): void {
    this.sportEvent(ev, "u");
  }

  onEnded(ev: EventRuntime): void {
    this.sportEvent(ev, "u");
    this.markets(ev, "u");
    for (const line of ev.lines) this.markDirty(line);
  }

  onUnlisted(ev: EventRuntime): void {
    for (const line of ev.lines) this.dirty.delete(line);
    this.publish(ev.def.tournamentId, "sport_event", "d", { id: String(ev.def.eventId), tournament_id: String(ev.def.tournamentId) });
  }

  /** Note that a line's book changed; one market_selections message per line per flush. */
  markDirty(line: LineRuntime): void {
    line.updatedNs = nowNs();
    this.dirty.add(line);
    if (!this.flushScheduled && !this.closed) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    for (const line of this.dirty) {
      line.sequence++;
      if (!this.listening) continue;
      const ev = line.event;
      this.publish(ev.def.tournamentId, "market_selections", "u", {
        sport_event_id: ev.def.eventId,
        market_id: line.def.marketId,
        info: {
          id: line.def.id,
          name: line.def.name,
          type: line.def.marketType,
          line: line.def.line ?? 0,
          status: line.status,
          sequence_number: line.sequence,
          selections: lineSelections(line),
        },
      });
    }
    this.dirty.clear();
  }

  /** Public trade print; reported from the resting (maker) side. */
  matchedBet(line: LineRuntime, outcomeIndex: number, makerOdds: number, makerStakeCents: number): void {
    if (!this.listening) return;
    const o = line.def.outcomes[outcomeIndex]!;
    this.publish(line.event.def.tournamentId, "matched_bet", "c", {
      info: {
        sport_event_id: line.event.def.eventId,
        market_id: line.def.marketId,
        line_id: o.lineId,
        outcome_id: o.outcomeId,
        line: o.line ?? 0,
        odds: makerOdds,
        matched_odds: makerOdds,
        matched_stake: dollars(makerStakeCents),
        origin_market_line: line.def.line ?? 0,
        sequence_number: Number(nowNs() / 1000n),
      },
    });
  }

  close(): void {
    this.closed = true;
    this.dirty.clear();
  }
}
