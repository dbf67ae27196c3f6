export { ProphetXClient, type PlaceWagerInput, type CancelRef, type OfferTier, type ConfirmationBody } from "./client.ts";
export { ProphetXRest, consoleLogger, silentLogger, type PxLogger, type PxRestOptions } from "./rest.ts";
export { PxSocket, type Product, type SocketMessage, type SocketState, type PxSocketOptions } from "./socket.ts";
export { PxApiError, PxValidationError, isPxCode } from "./errors.ts";
export { RateLimiter } from "./rate-limiter.ts";
export { decodeEnvelope } from "./decode.ts";
export * as pxSchemas from "./schemas.ts";
