/**
 * When a background job (a batch, a vector-store file batch) begins: after a delay, or at once when a
 * client looks at it or it is cancelled. Upstream's jobs race the client's next request; a fixed rule
 * makes the provider traffic the same on every run, so it replays.
 */
export interface Pickup {
  /** Resolves when the job may begin. */
  ready: Promise<void>;
  /** Begin now (idempotent). */
  wake(): void;
}

export function pickupAfter(ms: number): Pickup {
  let wake = () => {};
  const ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { ready, wake: () => wake() };
}
