// A fetch with a per-attempt timeout and retries that are safe: only GET and
// HEAD are retried (network errors, timeouts, 429, 502, 503, 504), with
// capped exponential backoff, full jitter and Retry-After. A POST is sent
// once: retrying a create that may have reached the server could start a
// second export.
import { ModelArtsNetworkError, ModelArtsTimeoutError } from "./errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff in ms (default 200). */
  baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 10,000). */
  maxDelayMs?: number;
}

const RETRIABLE_STATUS = new Set([429, 502, 503, 504]);

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Seconds or an HTTP date, as milliseconds from now. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

export function backoffMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
}

export function createRetryingFetch(
  baseFetch: typeof fetch,
  options: {
    retry: RetryPolicy | false;
    timeoutMs: number | undefined;
    /** Adds the auth headers to each attempt, as the last step before it is sent. */
    authorize: (attempt: Request) => void | Promise<void>;
  },
): (request: Request) => Promise<Response> {
  const policy: Required<RetryPolicy> = { retries: 3, baseDelayMs: 200, maxDelayMs: 10_000, ...(options.retry || {}) };
  const maxRetries = options.retry === false ? 0 : policy.retries;

  /** One attempt, under its own timeout; failures become the client's error classes. */
  async function attempt(request: Request): Promise<Response> {
    await options.authorize(request);
    // Aborted before or while signing: the request never leaves.
    request.signal.throwIfAborted();
    const { timeoutMs } = options;
    // A plain timer, cleared when the answer's headers arrive: much cheaper
    // per request than AbortSignal.timeout.
    const controller = timeoutMs === undefined ? undefined : new AbortController();
    const onAbort = (): void => controller?.abort(request.signal.reason);
    const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
    if (controller) request.signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await baseFetch(request, { signal: controller?.signal ?? request.signal });
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason; // the caller's own abort
      if (controller?.signal.aborted) {
        throw new ModelArtsTimeoutError(`${request.method} ${request.url}: no answer in ${timeoutMs} ms`, timeoutMs!);
      }
      // fetch's TypeError("fetch failed") says why in its cause.
      const { cause, message } = error as { cause?: { message?: string }; message?: string };
      const reason = cause?.message ?? message ?? error;
      throw new ModelArtsNetworkError(`${request.method} ${request.url}: ${reason}`, request.method, request.url);
    } finally {
      clearTimeout(timer);
      if (controller) request.signal.removeEventListener("abort", onAbort);
    }
  }

  return async (request) => {
    const idempotent = request.method === "GET" || request.method === "HEAD";
    for (let retry = 0; ; retry++) {
      const canRetry = idempotent && retry < maxRetries;
      let response: Response;
      try {
        // A request with a body can be sent once: a copy while a retry may
        // follow. Each attempt is signed afresh (a new X-Sdk-Date).
        response = await attempt(canRetry && request.body ? request.clone() : request);
      } catch (error) {
        if (!canRetry || !(error instanceof ModelArtsNetworkError || error instanceof ModelArtsTimeoutError))
          throw error;
        await sleep(backoffMs(retry, policy.baseDelayMs, policy.maxDelayMs), request.signal);
        continue;
      }
      if (!canRetry || !RETRIABLE_STATUS.has(response.status)) return response;
      const wait =
        retryAfterMs(response.headers.get("retry-after")) ?? backoffMs(retry, policy.baseDelayMs, policy.maxDelayMs);
      await response.body?.cancel();
      await sleep(Math.min(wait, policy.maxDelayMs), request.signal);
    }
  };
}
