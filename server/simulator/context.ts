// What route handlers need from the running simulator.

import type { Accounts } from "./accounts";
import type { SimClock } from "./clock";
import type { HttpFaults } from "./http-faults";
import type { MarketActivity } from "./market-activity";
import type { MmFeed } from "./mm-feed";
import type { ParlayService } from "./parlays";
import type { PusherServer } from "./pusher-server";
import type { TimerQueue } from "./timer-queue";
import type { WagerService } from "./wagers";
import type { WorldRuntime } from "./world-runtime";

export interface SimContext {
  readonly accounts: Accounts;
  readonly world: WorldRuntime;
  readonly wagers: WagerService;
  readonly parlays: ParlayService;
  readonly pusher: PusherServer;
  readonly feed: MmFeed;
  readonly activity: MarketActivity;
  readonly clock: SimClock;
  readonly timers: TimerQueue;
  readonly httpFaults: HttpFaults;
  readonly startedNs: bigint;
  readonly adminKey: string;
  baseUrl(): string;
  wsHost(): string;
  wsPort(): number;
  /** Heartbeats on/off (fault injection). */
  heartbeats: boolean;
  /** Run one simulation step now. */
  tick(): void;
}
