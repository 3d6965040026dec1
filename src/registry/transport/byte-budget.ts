/**
 * A memory budget shared by every document a client is receiving: each holds its body in memory
 * until it is complete, and a few multi-megabyte documents (typescript, @types/node: ~10 MB of
 * JSON each) arriving together would add up. A new document waits while the bodies in flight
 * hold the budget; one already started always completes (nothing is paused half-way, so nothing
 * can wait on itself), and with nothing in flight a document starts whatever its size.
 */
export class ByteBudget {
  private held = 0;
  private receiving = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limitBytes: number) {
    if (!Number.isFinite(limitBytes) || limitBytes <= 0) throw new RangeError(`a byte budget must be positive, got ${limitBytes}`);
  }

  /** Bytes held by the bodies in flight. */
  get heldBytes(): number {
    return this.held;
  }

  /** Waits until a new body may start, then counts it as receiving; `end` must follow. */
  async start(): Promise<void> {
    while (this.receiving > 0 && this.held >= this.limitBytes) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.receiving++;
  }

  /** Bytes of a body arrived (decoded). */
  add(bytes: number): void {
    this.held += bytes;
  }

  /** A body is complete (or failed): its bytes are handed on or dropped, and waiting bodies may start. */
  end(bytes: number): void {
    this.receiving--;
    this.held -= bytes;
    while (this.waiting.length > 0 && (this.receiving === 0 || this.held < this.limitBytes)) this.waiting.shift()?.();
  }
}
