// Splitting a Kubernetes list's JSON into its items as it arrives, without parsing it whole.

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;

/**
 * Fed a list's JSON text in chunks (cut anywhere), hands out the text of each object in its
 * top-level array (a list's `items`: the only array directly under a Kubernetes list) as soon
 * as the object is complete. Tracks strings and nesting only; each item is then checked by
 * JSON.parse. Parsing a big answer item by item, as it streams in, keeps neither the whole body
 * nor its parsed objects in memory (a 150,000-pod metrics answer is ~45 MB of JSON, ~250 MB
 * parsed), and each item's objects die young.
 */
export class ItemSplitter {
  private readonly stack: number[] = []; // open brackets
  private inString = false;
  private escaped = false;
  /** Inside an item: its text so far from earlier chunks. */
  private open = false;
  private partial = '';
  /** Whether the top-level object has an array (an empty list is still a list). */
  sawList = false;

  push(chunk: string, emit: (item: string) => void): void {
    const stack = this.stack;
    let from = this.open ? 0 : -1; // where the unfinished item starts in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === LBRACE || c === LBRACKET) {
        if (stack.length === 1 && stack[0] === LBRACE && c === LBRACKET) this.sawList = true;
        // An object opened directly in an array that is directly in the top-level object.
        if (c === LBRACE && stack.length === 2 && stack[0] === LBRACE && stack[1] === LBRACKET) {
          from = i;
          this.open = true;
        }
        stack.push(c);
      } else if (c === RBRACE || c === RBRACKET) {
        if (stack.pop() !== (c === RBRACE ? LBRACE : LBRACKET)) throw new SyntaxError('unbalanced JSON');
        if (c === RBRACE && this.open && stack.length === 2) {
          emit(this.partial + chunk.slice(from, i + 1));
          this.partial = '';
          this.open = false;
          from = -1;
        }
      }
    }
    if (this.open) this.partial += chunk.slice(from);
  }

  /** The input is over: throws when it stopped inside the JSON. */
  end(): void {
    if (this.stack.length !== 0 || this.inString) throw new SyntaxError('truncated JSON');
  }
}

/** The items' texts of a whole list (tests, small answers). */
export function itemTexts(text: string): string[] {
  const out: string[] = [];
  const s = new ItemSplitter();
  s.push(text, (item) => out.push(item));
  s.end();
  return out;
}
