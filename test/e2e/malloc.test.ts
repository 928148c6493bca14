// bin/kfleet.js on Linux with glibc: kfleet runs with glibc malloc's mmap threshold fixed (set
// by replacing its own process image, so the pid the terminal started is kfleet itself), keeps
// the user's own GLIBC_TUNABLES, and leaves a threshold the user set alone. Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnKfleet } from '../helpers/pty.js';

const glibc = process.platform === 'linux' && Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

test('the GLIBC_TUNABLES kfleet runs with, given the user\'s own', { skip: !glibc && 'needs Linux with glibc' }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-home-'));
  const cases: [string | undefined, string][] = [
    [undefined, 'glibc.malloc.mmap_threshold=32768'],
    ['glibc.malloc.arena_max=2', 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=32768'],
    ['glibc.malloc.mmap_threshold=65536', 'glibc.malloc.mmap_threshold=65536'],
  ];
  for (const [given, expected] of cases) {
    const s = spawnKfleet(['--demo', 'podlist'], { cols: 100, rows: 24, env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), KUBECONFIG: undefined, GLIBC_TUNABLES: given } });
    try {
      await s.waitFor(/kfleet Pod list/, 30_000);
      // The process the pty started is the one drawing: its environment is kfleet's.
      // glibc cuts the variable's original text at each ':' (a NUL) as it parses it.
      const environ = fs.readFileSync(`/proc/${s.proc.pid}/environ`, 'utf8');
      const tunables = /\0GLIBC_TUNABLES=([^\0]*(?:\0glibc\.[^\0]*)*)/.exec('\0' + environ)?.[1]?.replaceAll('\0', ':');
      assert.equal(tunables, expected, `given ${given ?? 'none'}`);
      s.press('q');
      assert.equal((await s.exit).code, 0);
    } finally {
      await s.kill();
    }
  }
});
