import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addQuantity,
  formatCpu,
  formatMemory,
  formatQuantityLikeKubectl,
  kubectlPercent,
  milliValue,
  parseQuantity,
  parseQuantityFull,
  QuantityParseError,
  value,
} from '../../src/model/quantity.js';

const canon = (s: string) => formatQuantityLikeKubectl(parseQuantityFull(s));

describe('parseQuantity: exact nano-units', () => {
  test('decimal SI suffixes', () => {
    assert.equal(parseQuantity('1n'), 1n);
    assert.equal(parseQuantity('1u'), 1_000n);
    assert.equal(parseQuantity('250m'), 250_000_000n);
    assert.equal(parseQuantity('2'), 2_000_000_000n);
    assert.equal(parseQuantity('1k'), 1_000n * 10n ** 9n);
    assert.equal(parseQuantity('1M'), 10n ** 6n * 10n ** 9n);
    assert.equal(parseQuantity('1G'), 10n ** 9n * 10n ** 9n);
    assert.equal(parseQuantity('1T'), 10n ** 12n * 10n ** 9n);
    assert.equal(parseQuantity('1P'), 10n ** 15n * 10n ** 9n);
    assert.equal(parseQuantity('1E'), 10n ** 18n * 10n ** 9n);
  });
  test('binary SI suffixes', () => {
    assert.equal(parseQuantity('1Ki'), 1024n * 10n ** 9n);
    assert.equal(parseQuantity('1Mi'), 1048576n * 10n ** 9n);
    assert.equal(parseQuantity('1Gi'), 1073741824n * 10n ** 9n);
    assert.equal(parseQuantity('1Ti'), 2n ** 40n * 10n ** 9n);
    assert.equal(parseQuantity('1Pi'), 2n ** 50n * 10n ** 9n);
    assert.equal(parseQuantity('1Ei'), 2n ** 60n * 10n ** 9n);
  });
  test('decimal forms', () => {
    assert.equal(parseQuantity('0.5'), 500_000_000n);
    assert.equal(parseQuantity('.5'), 500_000_000n);
    assert.equal(parseQuantity('5.'), 5_000_000_000n);
    assert.equal(parseQuantity('1.5Gi'), 1610612736n * 10n ** 9n); // 1.5 × 2^30 bytes
    assert.equal(parseQuantity('0.1'), 100_000_000n); // no float drift: exactly 100m
    assert.equal(parseQuantity('0.1') + parseQuantity('0.2'), parseQuantity('0.3'));
  });
  test('exponent forms', () => {
    assert.equal(parseQuantity('1e3'), 1000n * 10n ** 9n);
    assert.equal(parseQuantity('1E-3'), 1_000_000n); // 1m
    assert.equal(parseQuantity('12e6'), 12_000_000n * 10n ** 9n);
    assert.equal(parseQuantity('1.5e+2'), 150n * 10n ** 9n);
    assert.equal(parseQuantityFull('1e3').format, 'DecimalExponent');
  });
  test('signs', () => {
    assert.equal(parseQuantity('-1'), -1_000_000_000n);
    assert.equal(parseQuantity('+2'), 2_000_000_000n);
    assert.equal(parseQuantity('-100m'), -100_000_000n);
  });
  test('values finer than 1n round up (away from zero)', () => {
    assert.equal(parseQuantity('0.1n'), 1n);
    assert.equal(parseQuantity('1.0001n'), 2n);
    assert.equal(parseQuantity('-0.1n'), -1n);
  });
  test('BinarySI below 1 becomes DecimalSI; BinarySI is capped at 2^63-1', () => {
    assert.equal(parseQuantityFull('0.5Ki').format, 'BinarySI'); // 512 >= 1
    assert.equal(parseQuantityFull('0.0001Ki').format, 'DecimalSI'); // 0.1024 < 1
    assert.equal(parseQuantity('8Ei'), (2n ** 63n - 1n) * 10n ** 9n);
  });
  test('malformed text throws with the text quoted', () => {
    for (const bad of ['', 'abc', '1.2.3', '1Qi', '1e', '.', '1 ', ' 1', '--1', '1m5', '1KiB']) {
      assert.throws(() => parseQuantity(bad), (e: unknown) => e instanceof QuantityParseError && e.message.includes(JSON.stringify(bad)));
    }
  });
});

describe('MilliValue / Value round up like Kubernetes', () => {
  test('milliValue', () => {
    assert.equal(milliValue(parseQuantity('250m')), 250n);
    assert.equal(milliValue(parseQuantity('1.5')), 1500n);
    assert.equal(milliValue(parseQuantity('1u')), 1n); // 0.001m -> 1m
    assert.equal(milliValue(parseQuantity('100500u')), 101n); // 100.5m -> 101m
    assert.equal(milliValue(0n), 0n);
  });
  test('value', () => {
    assert.equal(value(parseQuantity('1Ki')), 1024n);
    assert.equal(value(parseQuantity('100m')), 1n); // 0.1 -> 1
    assert.equal(value(parseQuantity('1500m')), 2n);
    assert.equal(value(parseQuantity('-1500m')), -2n);
  });
});

describe("canonical text (Quantity.String(), what kubectl prints)", () => {
  test('decimal', () => {
    assert.equal(canon('0'), '0');
    assert.equal(canon('0.5'), '500m');
    assert.equal(canon('1000m'), '1');
    assert.equal(canon('1500m'), '1500m');
    assert.equal(canon('100M'), '100M');
    assert.equal(canon('1000k'), '1M');
    assert.equal(canon('2048'), '2048');
    assert.equal(canon('1u'), '1u');
    assert.equal(canon('10n'), '10n');
  });
  test('binary', () => {
    assert.equal(canon('1.5Gi'), '1536Mi');
    assert.equal(canon('2048Mi'), '2Gi');
    assert.equal(canon('1000Ki'), '1000Ki');
    assert.equal(canon('0.5Ki'), '512'); // below 1024: decimal
    assert.equal(canon('1Ei'), '1Ei');
  });
  test('exponent', () => {
    assert.equal(canon('1e3'), '1e3');
    assert.equal(canon('12e6'), '12e6');
    assert.equal(canon('1E-3'), '1e-3');
    assert.equal(canon('1.5e3'), '1500');
  });
  test('sums take the format of the first non-zero addend', () => {
    const ki = parseQuantityFull('1000Ki'); // 1,024,000 bytes, BinarySI
    const m = parseQuantityFull('1M'); // 1,000,000 bytes, DecimalSI
    // 2,024,000 bytes: not a multiple of 1024 -> plain number in BinarySI; 2024k in DecimalSI
    assert.equal(formatQuantityLikeKubectl(addQuantity(ki, m)), '2024000');
    assert.equal(formatQuantityLikeKubectl(addQuantity(m, ki)), '2024k');
    const zeroBinary = parseQuantityFull('0Mi');
    assert.equal(addQuantity(zeroBinary, m).format, 'DecimalSI');
  });
});

describe('table formats', () => {
  test('formatCpu', () => {
    assert.equal(formatCpu(parseQuantity('250m')), '250m');
    assert.equal(formatCpu(parseQuantity('2')), '2');
    assert.equal(formatCpu(parseQuantity('1.5')), '1500m');
    assert.equal(formatCpu(0n), '0');
  });
  test('formatMemory', () => {
    assert.equal(formatMemory(parseQuantity('1300Mi')), '1300Mi');
    assert.equal(formatMemory(parseQuantity('2Gi')), '2Gi');
    assert.equal(formatMemory(parseQuantity('512Ki')), '512Ki');
    assert.equal(formatMemory(parseQuantity('1000')), '1000');
    // 1,234,567,890 B = 1177.38 Mi -> nearest Mi
    assert.equal(formatMemory(parseQuantity('1234567890')), '1177Mi');
  });
});

describe("kubectl's truncated percentage", () => {
  test('float64 arithmetic then truncation', () => {
    assert.equal(kubectlPercent(2n, 3n), 66); // 66.67 -> 66
    assert.equal(kubectlPercent(5000n, 3000n), 166); // overcommit
    // 290/1000*100 is 28.999999999999996 in float64: kubectl prints 28
    assert.equal(kubectlPercent(290n, 1000n), 28);
    assert.equal(kubectlPercent(1n, 0n), 0);
  });
});
