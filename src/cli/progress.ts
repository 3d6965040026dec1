const REDRAW_MS = 100;

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

/** One self-overwriting stderr line, `registry facts: 120/1500 packages`; a no-op when not enabled. */
export function progressLine(write: (text: string) => void, enabled: boolean, clock: () => number = Date.now): Progress {
  if (!enabled) return { update: () => undefined, finish: () => undefined };
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      const now = clock();
      if (done < total && now - last < REDRAW_MS) return;
      last = now;
      drawn = true;
      write(`\r\u001b[2Kregistry facts: ${done}/${total} packages`);
    },
    finish() {
      if (drawn) write('\r\u001b[2K');
      drawn = false;
    },
  };
}
