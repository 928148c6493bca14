// textWidth's fast path (ASCII and the narrow marks) must agree with string-width, which Ink
// uses to lay out the same lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { NARROW_CHARS, pad, textWidth, truncate } from '../../views/format.js';

/** The characters of NARROW_CHARS, ranges ("a-b") expanded. */
function narrowChars(): string[] {
  const out: string[] = [];
  const cs = [...NARROW_CHARS];
  for (let i = 0; i < cs.length; i++) {
    if (cs[i + 1] === '-' && i + 2 < cs.length) {
      for (let cp = cs[i].codePointAt(0)!; cp <= cs[i + 2].codePointAt(0)!; cp++) out.push(String.fromCodePoint(cp));
      i += 2;
    } else out.push(cs[i]);
  }
  return out;
}

test('every narrow character is one column for string-width, alone and between others', () => {
  const chars = narrowChars();
  assert.ok(chars.length > 160); // the 0x2500-0x259f range is expanded (160 characters)
  for (const c of chars) {
    assert.equal(stringWidth(c), 1, `U+${c.codePointAt(0)!.toString(16)}`);
    assert.equal(stringWidth(`a${c}${c}b`), 4, `U+${c.codePointAt(0)!.toString(16)} in a line`);
  }
});

test('textWidth equals string-width on bars, marks, CJK and combining marks', () => {
  for (const s of ['', 'node-1', '  6.3Gi ▇▇▇▇▁▁▁▁  62%', '▸ eu-west-1a', 'CPU REQ▼', '⚠ pods stale', '名前空間', 'e\u0301te', '⚠\ufe0f x', 'a⏳b']) {
    assert.equal(textWidth(s), stringWidth(s), s);
    assert.equal(textWidth(s), stringWidth(s), `${s} (cached)`);
  }
  assert.equal(textWidth('  6.3Gi ▇▇▇▇▁▁▁▁  62%'), 21);
  assert.equal(textWidth('名前空間'), 8);
});

test('truncate and pad count bars as one column', () => {
  assert.equal(truncate('▇▇▇▇▁▁▁▁  62%', 6), '▇▇▇▇▁…');
  assert.equal(truncate('名前空間', 5), '名前…');
  assert.equal(pad('▇▁ 5%', 8, 'right'), '   ▇▁ 5%');
});
