// One error model for every route: a code table, one error class, and one function that turns any
// thrown value into a JSON response with the right status. Unknown errors are logged and hidden.
import { ZodError } from "zod";

export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  internal_error: 500,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export type Problem = { path: string; message: string };

/** Every zod issue as `{ path: "$.bets[2].odds", message }`, the JSON-path form our APIs report. */
export const problemsOf = (err: ZodError): Problem[] =>
  err.issues.map((i) => ({
    path: "$" + i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join(""),
    message: i.message,
  }));

export const toAppError = (err: unknown): AppError => {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("validation_failed", "the request is not valid", problemsOf(err));
  if (err instanceof SyntaxError) return new AppError("bad_request", "the request body is not valid JSON");
  return new AppError("internal_error", "something went wrong on our side");
};

export const errorResponse = (err: unknown): Response => {
  const appError = toAppError(err);
  if (appError.code === "internal_error" && !(err instanceof AppError)) {
    console.error("[route] unhandled error", err);
  }
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  if (appError.details !== undefined) body.error.details = appError.details;
  return Response.json(body, { status: appError.status, headers: appError.headers });
};
