// A text bar: "▇▇▇▇▁▁▁▁  62%". Over 100% (overcommit) the bar is full of "!" and the
// percentage is marked, so it stands out without colour too.
import { Text } from 'ink';

/** The bar as text (pure, for tables that want it inside a row string). */
export function barText(percent: number, width = 10): string {
  const p = Number.isFinite(percent) ? percent : 0;
  const label = `${Math.trunc(p)}%`.padStart(4);
  if (p > 100) return '!'.repeat(width) + ' ' + label + '!';
  const filled = Math.max(0, Math.min(width, Math.round((p / 100) * width)));
  return '▇'.repeat(filled) + '▁'.repeat(width - filled) + ' ' + label;
}

export function Bar({ percent, width = 10, warnAt = 90 }: { percent: number; width?: number; warnAt?: number }) {
  const color = percent > 100 ? 'red' : percent >= warnAt ? 'yellow' : undefined;
  return (
    <Text color={color} bold={percent > 100}>
      {barText(percent, width)}
    </Text>
  );
}
