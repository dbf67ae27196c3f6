// Channel names and binding events of both products (protocol-decisions.md, WebSocket).

export const MM_BROADCAST_CHANNEL = "private-broadcast-service=3-device_type=5";
export const SP_BROADCAST_CHANNEL = "private-broadcast-service=4-device_type=5";

const compactId = (partnerId: string): string => partnerId.replace(/-/g, "");

export const mmPrivateChannel = (partnerId: string): string => `private-service=3-device_type=5-user=${compactId(partnerId)}`;
export const spPrivateChannel = (partnerId: string): string => `private-service=4-device_type=5-user=${compactId(partnerId)}`;

/** Private per-user channels (where health_check is sent). */
export const isUserChannel = (channel: string): boolean => channel.startsWith("private-service=");

export const mmBroadcastEvent = (tournamentId: number): string => `tournament_${tournamentId}`;

export const MM_PRIVATE_BINDINGS = [
  { name: "wagers", type: "wagers" },
  { name: "health_check", type: "private_system_signal" },
] as const;

export const SP_BROADCAST_BINDINGS = ["price.ask.new", "order.matched"] as const;
export const SP_PRIVATE_BINDINGS = ["price.confirm.new", "order.finalized", "order.settled", "parlay.settled", "health_check"] as const;
