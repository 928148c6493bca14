// Taking the terminal and always giving it back: raw mode, alternate screen and hidden cursor
// on start; on restore, leave the alternate screen, show the cursor, switch off mouse reporting and
// bracketed paste, and take stdin out of raw mode. Restore is idempotent and synchronous
// (fs.writeSync), so it works from signal handlers and crash handlers right before exit.
import fs from 'node:fs';

// Cursor home after the switch: the alternate screen keeps the cursor where the normal one had
// it, which is after anything the terminal echoed while kfleet started (keys typed early);
// Ink draws from the cursor, so the whole screen came out shifted.
export const ENTER_SEQ = '\x1b[?1049h\x1b[H\x1b[?25l';
export const RESTORE_SEQ = '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l';

export class TerminalGuard {
  private active = false;

  constructor(
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stdin: NodeJS.ReadStream = process.stdin,
  ) {}

  /**
   * Raw mode on stdin, then the alternate screen (each only on a real terminal). Raw mode
   * first, before any frame: Ink turns it on in an effect that can run after its first frame is
   * out, and a key typed at that frame reached a cooked terminal, whose line discipline ate
   * ctrl+d (end of file), ctrl+u and ctrl+w, held other keys for an Enter and echoed them, and
   * made ctrl+z/ctrl+c signals. In raw mode the keys wait in the terminal until Ink reads them.
   */
  enter(): void {
    if (this.stdin.isTTY) {
      try {
        this.stdin.setRawMode(true);
      } catch {
        // not a terminal after all: Ink says so
      }
    }
    if (!this.stdout.isTTY || this.active) return;
    this.active = true;
    this.write(ENTER_SEQ);
  }

  restore(): void {
    if (this.stdin.isTTY) {
      try {
        this.stdin.setRawMode(false);
      } catch {
        // stdin may already be closed
      }
    }
    if (!this.active) return;
    this.active = false;
    this.write(RESTORE_SEQ);
  }

  private write(s: string): void {
    try {
      fs.writeSync((this.stdout as unknown as { fd?: number }).fd ?? 1, s);
    } catch {
      this.stdout.write(s);
    }
  }
}
