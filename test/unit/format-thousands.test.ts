// thousands() groups integers itself (no Intl formatter at start); it must write exactly what
// Intl.NumberFormat('en-US') writes, for integers of every length and sign and for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thousands } from '../../views/format.js';

test('thousands() writes what Intl.NumberFormat("en-US") writes', () => {
  const intl = new Intl.NumberFormat('en-US');
  const values = [0, -0, 1, -1, 7, 12, 999, 1000, -1000, 1001, 9999, 10000, 99999, 100000, 150000, 999999, 1000000, -1234567, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  for (let d = 1; d <= 16; d++) values.push(Number('9'.repeat(d)), Number('1' + '0'.repeat(d - 1)), -Number('5'.repeat(d)));
  // Not grouped here: fractions, unsafe integers, non-finite numbers.
  values.push(0.5, 1234.5678, -9876.54321, 2 ** 60, 1e21, Infinity, -Infinity, NaN);
  for (const v of values) assert.equal(thousands(v), intl.format(v), String(v));
  assert.equal(thousands(150000), '150,000');
  assert.equal(thousands(-1234567), '-1,234,567');
});
