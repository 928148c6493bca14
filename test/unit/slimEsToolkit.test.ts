// bin/kfleet.js gives Ink's `import { throttle } from 'es-toolkit/compat'` the barrel's own
// throttle module instead of the barrel (src/app/slimEsToolkit.ts). Checked in fresh Nodes, as
// the CLI runs (from dist/, which `npm test` builds first): with the hook Ink loads a handful
// of es-toolkit's modules instead of hundreds and still draws (its renders go through the
// throttle); without it, the barrel's throttle is that very module's function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NODE22, ROOT } from '../helpers/pty.js';

const SCRIPT = `
import { registerHooks } from 'node:module';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
const root = process.argv[2], slim = process.argv[3] === 'slim';
const loaded = new Set();
registerHooks({ resolve(s, c, next) { const r = next(s, c); loaded.add(r.url); return r; } });
if (slim) (await import(pathToFileURL(root + '/dist/src/app/slimEsToolkit.js').href)).installSlimEsToolkit();
const req = (await import('node:module')).createRequire(root + '/package.json');
const React = (await import(pathToFileURL(req.resolve('react')).href)).default;
const { render, Text } = await import(pathToFileURL(root + '/node_modules/ink/build/index.js').href);
const out = new PassThrough();
Object.assign(out, { columns: 40, rows: 5, isTTY: true });
let written = '';
out.on('data', (d) => (written += d));
const app = render(React.createElement(Text, null, 'drawn through the throttle'), { stdout: out, debug: false, interactive: true, patchConsole: false, exitOnCtrlC: false, stdin: new PassThrough() });
await new Promise((r) => setTimeout(r, 100));
app.rerender(React.createElement(Text, null, 'and drawn again'));
await new Promise((r) => setTimeout(r, 100));
app.unmount();
const esToolkit = [...loaded].filter((u) => u.includes('/node_modules/es-toolkit/'));
let same;
if (!slim) {
  const barrel = await import('es-toolkit/compat');
  const entry = import.meta.resolve('es-toolkit/compat/throttle');
  const own = await import(new URL('../dist/compat/function/throttle.mjs', entry).href);
  same = barrel.throttle === own.throttle;
}
console.log(JSON.stringify({ esToolkit: esToolkit.length, written, same }));
`;

test("Ink's throttle without es-toolkit's barrel: the same function, hundreds of modules fewer", () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'dist', 'slim-es-probe-'));
  try {
    // The probe lives in the build's directory so that it resolves es-toolkit as kfleet does.
    const script = path.join(dir, 'probe.mjs');
    fs.writeFileSync(script, SCRIPT);
    const run = (mode: string) => JSON.parse(execFileSync(NODE22, [script, ROOT, mode], { encoding: 'utf8' }).trim().split('\n').pop()!);
    const slim = run('slim');
    assert.ok(slim.esToolkit > 0 && slim.esToolkit <= 5, `es-toolkit modules loaded with the hook: ${slim.esToolkit}`);
    assert.match(slim.written, /drawn through the throttle/);
    assert.match(slim.written, /and drawn again/);
    const whole = run('whole');
    assert.ok(whole.esToolkit > 300, `es-toolkit modules loaded without the hook: ${whole.esToolkit}`);
    assert.match(whole.written, /and drawn again/);
    assert.equal(whole.same, true, "the barrel's throttle is the module the hook loads");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
