// Errors from the ProphetX wire, with the exchange's error code kept (reference §5).
export class PxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(`${status} ${code} on ${path}: ${message}`);
    this.name = "PxApiError";
  }
}

export class PxValidationError extends Error {
  constructor(readonly path: string, readonly issues: string) {
    super(`response of ${path} failed validation: ${issues}`);
    this.name = "PxValidationError";
  }
}

export const isPxCode = (err: unknown, ...codes: string[]): err is PxApiError =>
  err instanceof PxApiError && codes.includes(err.code);
