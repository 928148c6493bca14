// The Esc key without Ink's wait. A terminal sends Esc as the lone byte ESC, which also starts
// every escape sequence (arrows, function keys, alt+key), so Ink holds a read that ends in ESC
// for 20 ms in case the rest follows, and only then hands the Esc key on: every Esc (closing
// the filter, a dialog, a detail) came 20 ms late. A terminal writes a key's whole sequence at
// once, so a read that is nothing but ESC is the Esc key (crossterm reads it the same way); it
// is passed to Ink as Esc's form in the kitty keyboard protocol (CSI 27 u), which Ink parses
// at once into the same key (name 'escape', no modifiers) whatever protocol the terminal speaks.
const ESC = '\x1b';
export const UNAMBIGUOUS_ESC = '\x1b[27u';

/** Have `stdin.read()` (Ink's only way in) return a read of a lone ESC as UNAMBIGUOUS_ESC. */
export function escapeKeyAtOnce(stdin: NodeJS.ReadableStream): void {
  const read = stdin.read.bind(stdin);
  stdin.read = (size?: number) => {
    const chunk = read(size);
    if (chunk === ESC) return UNAMBIGUOUS_ESC;
    if (Buffer.isBuffer(chunk) && chunk.length === 1 && chunk[0] === 0x1b) return Buffer.from(UNAMBIGUOUS_ESC);
    return chunk;
  };
}
