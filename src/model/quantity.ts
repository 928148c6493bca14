// Kubernetes resource.Quantity, parsed exactly.
//
// A quantity is held as a BigInt of nano-units (value × 10^9): every legal Quantity that
// Kubernetes keeps (it rounds to 1n) is an integer there, so sums are exact and never drift.
// The `format` is kept beside the value because kubectl prints sums in the format of the
// first non-zero addend (apimachinery `Quantity.Add` + `Quantity.String()`), e.g.
// 128Mi + 128Mi prints "256Mi" but 100M + 100M prints "200M".

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value × 10^9, exact. */
  nano: bigint;
  format: QuantityFormat;
}

export const NANO_PER_UNIT = 1_000_000_000n;
const NANO_PER_MILLI = 1_000_000n;

/** Thrown for text that is not a Kubernetes quantity; the message quotes the text. */
export class QuantityParseError extends Error {
  constructor(readonly text: string, why = 'not a valid quantity') {
    super(`invalid quantity ${JSON.stringify(text)}: ${why}`);
    this.name = 'QuantityParseError';
  }
}

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/s;
const EXPONENT_RE = /^[eE]([+-]?\d+)$/;
/** Go keeps BinarySI quantities at most 2^63-1 (maxAllowed). */
const MAX_BINARY_NANO = (2n ** 63n - 1n) * NANO_PER_UNIT;

/** Division rounding away from zero ("up" in magnitude), like Kubernetes' inf.RoundUp. */
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** Parse a quantity keeping its format (as apimachinery's ParseQuantity does). */
export function parseQuantityFull(text: string): Quantity {
  if (typeof text !== 'string' || text.length === 0) throw new QuantityParseError(String(text), 'empty');
  const m = NUMBER_RE.exec(text);
  if (!m) throw new QuantityParseError(text);
  const [, sign, intPart, fracPart = '', suffix] = m;
  if (intPart.length === 0 && fracPart.length === 0) throw new QuantityParseError(text, 'no digits');

  let format: QuantityFormat;
  let base10Exp = 0;
  let base2Exp = 0;
  if (suffix in DECIMAL_SUFFIX) {
    format = 'DecimalSI';
    base10Exp = DECIMAL_SUFFIX[suffix];
  } else if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    base2Exp = BINARY_SUFFIX[suffix];
  } else {
    const e = EXPONENT_RE.exec(suffix);
    if (!e) throw new QuantityParseError(text, `unknown suffix ${JSON.stringify(suffix)}`);
    base10Exp = Number(e[1]);
    // Guard against 10n ** 1e9: no resource comes near this.
    if (Math.abs(base10Exp) > 300) throw new QuantityParseError(text, 'exponent out of range');
    format = 'DecimalExponent';
  }

  // value = digits × 10^(-fracLen) × 10^base10Exp × 2^base2Exp; nano = value × 10^9
  const mantissa = BigInt((intPart || '0') + fracPart) * 2n ** BigInt(base2Exp);
  const pow10 = 9 + base10Exp - fracPart.length;
  let nano = pow10 >= 0 ? mantissa * 10n ** BigInt(pow10) : divAway(mantissa, 10n ** BigInt(-pow10));
  // (rounding happens on the magnitude, then the sign is applied, as in Go)
  if (format === 'BinarySI' && nano > MAX_BINARY_NANO) nano = MAX_BINARY_NANO;
  if (format === 'BinarySI' && nano > 0n && nano < NANO_PER_UNIT) format = 'DecimalSI';
  if (sign === '-') nano = -nano;
  return { nano, format };
}

/** Parse a quantity to nano-units. Throws QuantityParseError on malformed text. */
export function parseQuantity(text: string): bigint {
  return parseQuantityFull(text).nano;
}

/** Parse, or return `fallback` (default 0n) for undefined / malformed text. */
export function parseQuantityOr(text: string | undefined, fallback = 0n): bigint {
  if (text === undefined) return fallback;
  try {
    return parseQuantity(text);
  } catch {
    return fallback;
  }
}

/** Quantity.MilliValue(): value × 1000, rounded away from zero. */
export function milliValue(nano: bigint): bigint {
  return divAway(nano, NANO_PER_MILLI);
}

/** Quantity.Value(): the integer value, rounded away from zero. */
export function value(nano: bigint): bigint {
  return divAway(nano, NANO_PER_UNIT);
}

export const ZERO: Quantity = Object.freeze({ nano: 0n, format: 'DecimalSI' }) as Quantity;

/** Quantity.Add: the sum takes the format of `a`, or of `b` when `a` is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

/** Quantity.Cmp. */
export function cmpQuantity(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

const DECIMAL_SUFFIX_BY_EXP: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * Quantity.String(): the canonical form kubectl prints (apimachinery CanonicalizeBytes).
 * - BinarySI is kept only for whole values with |v| >= 1024; the largest exact power of 1024
 *   is factored out ("1536Mi", "2Gi", "1000Ki").
 * - Otherwise decimal: trailing zeros are moved into an exponent that is then lowered to a
 *   multiple of 3 and named n u m "" k M G T P E ("500m", "1500m", "2", "128M"), or written
 *   "e<exp>" for DecimalExponent ("1e3", "12e6").
 */
export function formatQuantityLikeKubectl(q: Quantity): string {
  const { nano } = q;
  if (nano === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const limit = 1024n * NANO_PER_UNIT;
    if ((nano > -limit && nano < limit) || nano % NANO_PER_UNIT !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = nano / NANO_PER_UNIT;
    let exp = 0;
    while (amount % 1024n === 0n && exp < BINARY_SUFFIXES.length - 1) {
      amount /= 1024n;
      exp++;
    }
    return `${amount}${BINARY_SUFFIXES[exp]}`;
  }
  let amount = nano;
  let exp = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  amount *= 10n ** BigInt(r);
  exp -= r;
  if (format === 'DecimalExponent') return exp === 0 ? `${amount}` : `${amount}e${exp}`;
  if (exp > 18) {
    // Past "E" there is no SI suffix: keep E and grow the number.
    amount *= 10n ** BigInt(exp - 18);
    exp = 18;
  }
  return `${amount}${DECIMAL_SUFFIX_BY_EXP[exp]}`;
}

/** Canonical text of a nano value in the given format (default DecimalSI). */
export function formatNano(nano: bigint, format: QuantityFormat = 'DecimalSI'): string {
  return formatQuantityLikeKubectl({ nano, format });
}

/** CPU for tables: whole cores when exact ("2"), else millicores ("250m", "1500m"). */
export function formatCpu(nano: bigint): string {
  const milli = milliValue(nano);
  if (milli % 1000n === 0n) return `${milli / 1000n}`;
  return `${milli}m`;
}

/**
 * Memory for tables, in binary units: the largest exact unit ("2Gi", "1300Mi", "512Ki");
 * a value that is not a whole number of KiB is rounded to the nearest Mi (from 1Mi up) or Ki,
 * as `kubectl top` does; below 1Ki, plain bytes.
 */
export function formatMemory(nano: bigint): string {
  const bytes = value(nano);
  const neg = bytes < 0n;
  const abs = neg ? -bytes : bytes;
  const sign = neg ? '-' : '';
  if (abs < 1024n) return `${sign}${abs}`;
  let amount = abs;
  let exp = 0;
  while (amount % 1024n === 0n && exp < BINARY_SUFFIXES.length - 1 && amount >= 1024n) {
    amount /= 1024n;
    exp++;
  }
  if (exp > 0) return `${sign}${amount}${BINARY_SUFFIXES[exp]}`;
  const unit = abs >= 1024n * 1024n ? 1024n * 1024n : 1024n;
  const rounded = (abs + unit / 2n) / unit;
  return `${sign}${rounded}${unit === 1024n ? 'Ki' : 'Mi'}`;
}

/**
 * kubectl's percentage: int64(float64(num) / float64(den) * 100), i.e. float64 arithmetic
 * truncated toward zero; 0 when den is 0. Pass MilliValue()s for CPU and Value()s otherwise.
 * JS numbers are IEEE doubles and BigInt→Number rounds to nearest like Go's float64(int64),
 * so the result is bit-for-bit kubectl's (including 290/1000 → 28).
 */
export function kubectlPercent(num: bigint | number, den: bigint | number): number {
  const d = Number(den);
  if (d === 0) return 0;
  const r = Math.trunc((Number(num) / d) * 100);
  return Object.is(r, -0) ? 0 : r;
}

const NANO_MULTIPLIER: Record<string, number> = { n: 1, u: 1e3, m: 1e6, '': 1e9, k: 1e12, M: 1e15, Ki: 1024e9, Mi: 1048576e9 };
const UNIT_MULTIPLIER: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const PLAIN_QUANTITY_RE = /^(\d{1,15})([numkKMGT]?i?)$/;

/**
 * A quantity as a plain number: in nano-units (`nano`, e.g. nanocores) or whole units
 * (`unit`, e.g. bytes; a fraction is cut off), the same as Number(parseQuantityOr(text)) or
 * Number(parseQuantityOr(text) / 10^9). Metrics polls read 300,000 of them at a time: the
 * common forms ("250m", "1500000n", "64Mi", "2Gi", "1024") skip the exact BigInt parse.
 */
export function quantityNumber(text: string | undefined, scale: 'nano' | 'unit'): number {
  const m = text === undefined ? null : PLAIN_QUANTITY_RE.exec(text);
  const v = m ? plainQuantityNumber(Number(m[1]), m[2]!, scale) : undefined;
  if (v !== undefined) return v;
  const nano = parseQuantityOr(text);
  return Number(scale === 'nano' ? nano : nano / NANO_PER_UNIT);
}

/**
 * quantityNumber of a whole number of at most 15 digits with a suffix ("250" and "m"), when
 * the result is exact in a double; undefined for other suffixes (the caller parses exactly).
 */
export function plainQuantityNumber(whole: number, suffix: string, scale: 'nano' | 'unit'): number | undefined {
  const multiplier = (scale === 'nano' ? NANO_MULTIPLIER : UNIT_MULTIPLIER)[suffix];
  const v = multiplier === undefined ? NaN : whole * multiplier;
  return Number.isSafeInteger(v) ? v : undefined;
}
