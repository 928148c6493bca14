// Text formatting shared by the views: kubectl's durations, numbers, padding.
import stringWidth from 'string-width';

/** kubectl's AGE format (k8s.io/apimachinery/pkg/util/duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Age of a timestamp like kubectl ("<unknown>" when absent). */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/**
 * `n` with en-US thousands separators (150000 → "150,000"), as Intl.NumberFormat('en-US')
 * writes it. Integers, nearly all of the calls, are grouped here: creating the Intl formatter
 * loads ICU's locale data, ~15-25 ms of the start before the first frame with data.
 */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return (numberFormat ??= new Intl.NumberFormat('en-US')).format(n);
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return n < 0 || Object.is(n, -0) ? '-' + out : out;
}
let numberFormat: Intl.NumberFormat | undefined;

/**
 * Characters string-width counts as one column each, which never join a neighbour into a
 * wider cluster: box drawing and block elements (the bars' ▇▁), and the marks and arrows the
 * views draw. A line of these and ASCII skips string-width's grapheme segmenter, which costs
 * ~1 µs per character (a 140-column row with bars: ~0.15 ms, several times per visible row).
 * test/unit/format-width.test.ts checks each against string-width.
 */
export const NARROW_CHARS = '\u2500-\u259f…—–·▲▼▸▾•✓✗⚠›‹↓↑←→‖↻‘’“”';
const NARROW_LINE = new RegExp(`^[\\x20-\\x7e${NARROW_CHARS}]*$`);

/** Widths of other strings (CJK, emoji, combining marks), which repeat frame after frame. */
const wideCache = new Map<string, number>();
const WIDE_CACHE_MAX = 4096;

/**
 * Visible length in terminal columns, as Ink itself measures it (string-width): names are
 * ASCII, but event messages and labels may hold CJK (two columns) or combining marks (none).
 * ASCII and the narrow marks take a fast path: this runs for every visible cell.
 */
export function textWidth(s: string): number {
  if (NARROW_LINE.test(s)) return s.length;
  let w = wideCache.get(s);
  if (w === undefined) {
    if (wideCache.size >= WIDE_CACHE_MAX) wideCache.clear();
    w = stringWidth(s);
    wideCache.set(s, w);
  }
  return w;
}

/** Cut to `width` columns, with an ellipsis when cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(s) <= width) return s;
  if (width === 1) return '…';
  let out = '';
  let used = 0;
  for (const c of s) {
    const w = NARROW_LINE.test(c) ? 1 : stringWidth(c);
    if (used + w > width - 1) break;
    out += c;
    used += w;
  }
  return out + '…';
}

export function pad(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const fill = ' '.repeat(Math.max(0, width - textWidth(t)));
  return align === 'right' ? fill + t : t + fill;
}
