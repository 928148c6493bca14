// Odd data and odd terminals, against the BUILT CLI in a pseudo-terminal fed by a local fake
// API server: 10,000 namespaces with a pod each, label values in CJK and accented Latin (a
// real API server refuses them; a misbehaving one may not), 250-character names, and a
// terminal of 40x10, 300x100, and one resized while the pods are still loading. "Layout not
// broken" means: exactly one frame on screen (one header line), no screen row that is the
// wrapped tail of a too-wide line, the status line at the bottom, and the table's columns
// aligned (the same terminal column in every row, wide characters counted as two).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TtyRun, fakeApi, isolatedHome, kubeconfigFor, listJson, sleep, tmpFile } from './harness.js';

const N = 10_000;
const LONG = 'a'.repeat(240);
const nsName = (i: number) => `team-${String(i).padStart(5, '0')}-ns`;
const CJK = '支付サービス';
const ACCENTED = 'ünïcødé-app';

function podsJson(): string {
  const now = new Date().toISOString();
  const pods = Array.from({ length: N }, (_, i) => ({
    metadata: {
      name: i % 2 ? `${LONG}-${i}` : `pay-${i}`,
      namespace: nsName(i),
      uid: `p${i}`,
      resourceVersion: '1',
      creationTimestamp: now,
      labels: { 'app.kubernetes.io/name': i % 3 ? CJK : ACCENTED, 'app.kubernetes.io/component': 'ワーカー', 'tëam.example/ключ': 'значение-💳' },
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'c' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
  }));
  return listJson('pods', pods);
}

let api: Awaited<ReturnType<typeof fakeApi>>;
let kubeconfig: string;
let slowKubeconfig: string;
before(async () => {
  const namespaces = listJson('namespaces', Array.from({ length: N }, (_, i) => ({ metadata: { name: nsName(i), uid: `ns${i}`, resourceVersion: '1' }, status: { phase: 'Active' } })));
  const pods = podsJson();
  api = await fakeApi((kind, url) => {
    const slow = url.startsWith('/slow/');
    if (kind === 'namespaces') return { body: namespaces };
    if (kind === 'pods') return { body: pods, delayMs: slow ? 3000 : 0 };
    return undefined;
  });
  kubeconfig = tmpFile('config', kubeconfigFor(api.url, { token: 't' }));
  slowKubeconfig = tmpFile('config', kubeconfigFor(`${api.url}/slow`, { token: 't' }));
});
after(() => api?.close());

/** Screen row `y` with one string position per terminal column (a wide char's 2nd cell: \0). */
function columns(run: TtyRun, y: number): string {
  const buf = run.term.buffer.active;
  const line = buf.getLine(buf.viewportY + y)!;
  let s = '';
  for (let x = 0; x < run.term.cols; x++) {
    const c = line.getCell(x)!;
    s += c.getWidth() === 0 ? '\0' : c.getChars() || ' ';
  }
  return s;
}

function assertOneFrame(run: TtyRun, rows: number) {
  const lines = run.lines();
  assert.equal(lines.length, rows);
  assert.equal(run.wrappedRows(), 0, `no wrapped rows:\n${run.screen()}`);
  assert.match(lines[0]!, /^kfleet/, 'the header on the first row');
  assert.equal(lines.filter((l) => l.startsWith('kfleet')).length, 1, `one frame:\n${run.screen()}`);
  // The status line (key hints, or a message) at the bottom: the frame fills the terminal.
  assert.match(lines[rows - 1]!, /^\S/, `status line at the bottom:\n${run.screen()}`);
  assert.doesNotMatch(lines[rows - 1]!, /Running/, `status line at the bottom:\n${run.screen()}`);
}

/** The table's STATUS column sits at the same terminal column in every pod row. */
function assertAligned(run: TtyRun) {
  const cols = new Set<number>();
  let cjkRows = 0;
  for (let y = 0; y < run.term.rows; y++) {
    const s = columns(run, y);
    const at = s.indexOf(' Running');
    if (at < 0) continue;
    cols.add(at);
    if (s.includes(CJK[0]!)) cjkRows++;
  }
  assert.ok(cjkRows > 0, `some rows hold the CJK label:\n${run.screen()}`);
  assert.equal(cols.size, 1, `STATUS column in one place (columns ${[...cols]}):\n${run.screen()}`);
}

async function start(args: string[], cols: number, rows: number): Promise<TtyRun> {
  return new TtyRun(args, { cols, rows, env: isolatedHome().env });
}

describe('odd data and terminal sizes', { concurrency: 2 }, () => {
  test('100x30: 10,000 namespaces, unicode labels, long names; the namespace picker', async () => {
    const run = await start(['--kubeconfig', kubeconfig, 'pods'], 100, 30);
    try {
      await run.waitFor('✓ synced pods 10,000', 30_000);
      await run.waitFor(CJK);
      assertOneFrame(run, 30);
      assertAligned(run);
      assert.match(run.screen(), new RegExp(`${ACCENTED} \\(1\\)`));
      // The namespace picker lists all 10,000 and finds one by typing.
      run.press('n');
      await run.waitFor(`Namespace scope (${N + 1})`);
      assertOneFrame(run, 30);
      run.press('team-09998');
      await run.waitFor(/>\s+team-09998-ns\s+Active/);
      run.press('\r');
      await run.waitFor('ns team-09998-ns');
      assertOneFrame(run, 30);
      assert.match(run.screen(), /team-09998-ns \(1\)/);
      run.press('q');
      assert.equal((await run.done).code, 0);
    } finally {
      await run.kill();
    }
  });

  test('the plain pod list: 240-character names cut to the column, no wrap', async () => {
    const run = await start(['--kubeconfig', kubeconfig, 'podlist'], 120, 20);
    try {
      await run.waitFor(/aaaa…/, 30_000);
      assertOneFrame(run, 20);
      run.press('q');
      assert.equal((await run.done).code, 0);
    } finally {
      await run.kill();
    }
  });

  for (const [cols, rows] of [
    [40, 10],
    [300, 100],
  ] as const) {
    test(`${cols}x${rows}: one frame that fits`, async () => {
      const run = await start(['--kubeconfig', kubeconfig, 'pods'], cols, rows);
      try {
        await run.waitFor('✓ synced pods 10,000', 30_000);
        await run.quiet();
        assertOneFrame(run, rows);
        if (cols >= 100) {
          assertAligned(run);
          assert.match(run.lines()[1]!, /✓ synced pods 10,000/);
        }
        run.press('?');
        await run.waitFor(/Help/);
        assertOneFrame(run, rows);
        run.press('q');
        assert.equal((await run.done).code, 0);
      } finally {
        await run.kill();
      }
    });
  }

  test('resized while the pods are loading: the final frame fits the final size', async () => {
    const run = await start(['--kubeconfig', slowKubeconfig, 'pods'], 100, 30);
    try {
      await run.waitFor(/listing pods|pods 0/, 15_000);
      for (const [c, r] of [
        [40, 10],
        [300, 100],
        [60, 15],
        [90, 24],
      ] as const) {
        run.resize(c, r);
        await sleep(150);
      }
      assert.doesNotMatch(run.screen(), /team-0000/, 'still loading while resized');
      await run.waitFor('✓ synced pods 10,000', 30_000);
      await run.quiet();
      assertOneFrame(run, 24);
      assertAligned(run);
      run.press('q');
      assert.equal((await run.done).code, 0);
    } finally {
      await run.kill();
    }
  });
});
