// One buffer reused for bytes that are read at once and then dropped (a watch's lines, a list's
// pages). A new buffer each time is memory outside V8's heap that only a later GC gives back to
// malloc, whose arena then keeps the pages it grew to (RSS): at 2,000 watch events/s of ~6 KB
// cut pods, ~12 MB/s of them.

/** A buffer that grows to the largest size asked of it and is handed out again. */
export class ByteScratch {
  private buf = new Uint8Array(0);

  /** `n` bytes, good until the next call. */
  take(n: number): Uint8Array {
    if (this.buf.length < n) this.buf = new Uint8Array(this.roomFor(n));
    return this.buf.subarray(0, n);
  }

  /** `part` written at `at`, after the `at` bytes written before it (kept if the buffer grows); returns where it ends. */
  put(at: number, part: Uint8Array): number {
    const end = at + part.byteLength;
    if (this.buf.length < end) {
      const grown = new Uint8Array(this.roomFor(end));
      grown.set(this.buf.subarray(0, at));
      this.buf = grown;
    }
    this.buf.set(part, at);
    return end;
  }

  private roomFor(n: number): number {
    return Math.max(n, 2 * this.buf.length, 16 * 1024);
  }
}

/** `parts` end to end: in `into`'s memory when given (good until its next use), else a new array. */
export function joined(parts: readonly Uint8Array[], into?: ByteScratch): Uint8Array {
  const length = parts.reduce((n, part) => n + part.byteLength, 0);
  const out = into ? into.take(length) : new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
