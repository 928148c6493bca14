// Loading keymaps: keymaps/default.yaml, then the user's file on top, action by action.
//
// File format (one section per scope, see src/keys/actions.ts for the scopes and actions):
//
//   global:
//     quit: q                       # one key
//     up: [k, up]                   # several keys
//     help: { keys: "?", help: "the help screen" }   # with a custom help line
//   rollouts:
//     undo: u
//   nodes:
//     sort: { keys: s, shadowGlobal: true }  # allowed to hide a global key in this view
//
// An unknown scope or action, a malformed key, or a clash (two actions on one key in a scope,
// or a view key hiding a global one without `shadowGlobal: true`) is a KeymapError whose
// message starts with "FILE:LINE:".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { ACTIONS, SCOPES, actionDef, isModalScope, isScope, type Scope } from './actions.js';
import { KeyNameError, displayKey, parseKeyName } from './keyNames.js';

export class KeymapError extends Error {
  override name = 'KeymapError';
  constructor(
    readonly file: string,
    readonly line: number,
    what: string,
  ) {
    super(`${file}:${line}: ${what}`);
  }
}

export interface Binding {
  scope: Scope;
  action: string;
  keys: string[];
  help: string;
  shadowGlobal: boolean;
  file: string;
  line: number;
}

export interface HelpEntry {
  scope: Scope;
  action: string;
  keys: string[];
  help: string;
}

export class Keymap {
  private readonly byKey = new Map<Scope, Map<string, Binding>>();

  constructor(readonly bindings: ReadonlyMap<Scope, ReadonlyMap<string, Binding>>) {
    for (const [scope, actions] of bindings) {
      const m = new Map<string, Binding>();
      for (const b of actions.values()) for (const k of b.keys) m.set(k, b);
      this.byKey.set(scope, m);
    }
  }

  /** The action bound to `key` in `scope` (no fallback to global: the dispatcher does that). */
  resolve(scope: Scope, key: string): string | undefined {
    return this.byKey.get(scope)?.get(key)?.action;
  }

  keysFor(scope: Scope, action: string): string[] {
    return this.bindings.get(scope)?.get(action)?.keys ?? [];
  }

  /** "k/↑": how the keys of an action are shown in hints. */
  label(scope: Scope, action: string): string {
    return this.keysFor(scope, action).map(displayKey).join('/');
  }

  /** The bound actions of a scope, in declaration order, for help. */
  entries(scope: Scope, opts: { readonly?: boolean } = {}): HelpEntry[] {
    const out: HelpEntry[] = [];
    const bound = this.bindings.get(scope);
    for (const action of Object.keys(ACTIONS[scope])) {
      const b = bound?.get(action);
      if (!b || b.keys.length === 0) continue;
      if (opts.readonly && actionDef(scope, action)?.mutates) continue;
      out.push({ scope, action, keys: b.keys, help: b.help });
    }
    return out;
  }
}

/** Where the user's keymap lives: $XDG_CONFIG_HOME/kfleet/keymap.yaml (~/.config/... by default). */
export function userKeymapPath(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, 'kfleet', 'keymap.yaml');
}

/** keymaps/default.yaml of this package (found from both src/ under tsx and dist/src/). */
export function defaultKeymapPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'keymaps', 'default.yaml');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('keymaps/default.yaml not found next to the kfleet package');
}

export interface KeymapSources {
  /** Defaults to the package's keymaps/default.yaml. */
  defaultFile?: string;
  /** --keymap FILE: must exist. */
  explicitFile?: string;
  /** The XDG user file: used when it exists. */
  userFile?: string;
}

/** Load the default keymap and the user's overrides. Throws KeymapError. */
export function loadKeymap(src: KeymapSources = {}): Keymap {
  const defaultFile = src.defaultFile ?? defaultKeymapPath();
  const merged = new Map<Scope, Map<string, Binding>>(SCOPES.map((s) => [s, new Map()]));
  const files = [defaultFile];
  if (src.explicitFile) {
    if (!fs.existsSync(src.explicitFile)) throw new KeymapError(src.explicitFile, 0, 'keymap file does not exist');
    files.push(src.explicitFile);
  } else if (src.userFile && fs.existsSync(src.userFile)) {
    files.push(src.userFile);
  }
  for (const file of files) {
    for (const b of parseKeymapFile(file)) merged.get(b.scope)!.set(b.action, b);
  }
  checkClashes(merged, defaultFile);
  return new Keymap(merged);
}

/** Parse one keymap file into bindings (no clash checks: those run on the merged map). */
export function parseKeymapFile(file: string): Binding[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KeymapError(file, 0, `cannot read keymap: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseKeymapText(text, file);
}

export function parseKeymapText(text: string, file: string): Binding[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const lineOf = (node: YamlNode | Pair | null | undefined): number => {
    const n = node && 'range' in node ? node : node && 'key' in node ? (node.key as YamlNode) : undefined;
    return n?.range ? lc.linePos(n.range[0]).line : 0;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new KeymapError(file, e.linePos?.[0].line ?? 0, `not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const out: Binding[] = [];
  if (doc.contents === null) return out; // an empty file overrides nothing
  if (!isMap(doc.contents)) throw new KeymapError(file, lineOf(doc.contents), 'expected sections like "global:" and "pods:" at the top level');
  for (const section of doc.contents.items) {
    const scopeName = isScalar(section.key) ? String(section.key.value) : '';
    const scopeLine = lineOf(section.key as YamlNode);
    if (!isScope(scopeName)) throw new KeymapError(file, scopeLine, `unknown section "${scopeName}" (known: ${SCOPES.join(', ')})`);
    const scope = scopeName;
    if (section.value === null || (isScalar(section.value) && section.value.value === null)) continue;
    if (!isMap(section.value)) throw new KeymapError(file, scopeLine, `section "${scope}" must map actions to keys`);
    for (const pair of section.value.items) {
      const action = isScalar(pair.key) ? String(pair.key.value) : '';
      const line = lineOf(pair.key as YamlNode);
      const def = actionDef(scope, action);
      if (!def) {
        const known = Object.keys(ACTIONS[scope]);
        throw new KeymapError(file, line, `unknown action "${action}" in section "${scope}"${known.length ? ` (known: ${known.join(', ')})` : ' (this section has no actions yet)'}`);
      }
      let keysNode: unknown = pair.value;
      let help = def.help;
      let shadowGlobal = false;
      if (isMap(pair.value)) {
        keysNode = undefined;
        for (const opt of pair.value.items) {
          const name = isScalar(opt.key) ? String(opt.key.value) : '';
          if (name === 'keys') keysNode = opt.value;
          else if (name === 'help' && isScalar(opt.value)) help = String(opt.value.value);
          else if (name === 'shadowGlobal' && isScalar(opt.value)) shadowGlobal = opt.value.value === true;
          else throw new KeymapError(file, lineOf(opt.key as YamlNode), `unknown option "${name}" for ${scope}.${action} (use keys, help, shadowGlobal)`);
        }
        if (keysNode === undefined) throw new KeymapError(file, line, `${scope}.${action} has no "keys"`);
      }
      const keyNodes = isSeq(keysNode) ? keysNode.items : [keysNode];
      const keys: string[] = [];
      for (const kn of keyNodes) {
        const kline = lineOf(kn as YamlNode) || line;
        if (!isScalar(kn) || kn.value === null || typeof kn.value === 'boolean' || typeof kn.value === 'object') {
          throw new KeymapError(file, kline, `${scope}.${action}: expected a key name, got ${kn === null || (isScalar(kn) && kn.value === null) ? 'nothing' : JSON.stringify(isScalar(kn) ? kn.value : String(kn))}`);
        }
        try {
          keys.push(parseKeyName(String(kn.value)));
        } catch (e) {
          if (e instanceof KeyNameError) throw new KeymapError(file, kline, `${scope}.${action}: ${e.message}`);
          throw e;
        }
      }
      out.push({ scope, action, keys: [...new Set(keys)], help, shadowGlobal, file, line });
    }
  }
  return out;
}

function where(b: Binding): string {
  return `${b.file}:${b.line}`;
}

/** [culprit, other]: blame the user's file over the defaults, else the later binding `b`. */
function blame(a: Binding, b: Binding, defaultFile: string): [Binding, Binding] {
  return b.file === defaultFile && a.file !== defaultFile ? [a, b] : [b, a];
}

function checkClashes(merged: Map<Scope, Map<string, Binding>>, defaultFile: string): void {
  const claim = (seen: Map<string, Binding>, key: string, b: Binding): void => {
    const prev = seen.get(key);
    if (prev && prev.action !== b.action) {
      const [culprit, other] = blame(prev, b, defaultFile);
      throw new KeymapError(culprit.file, culprit.line, `key "${displayKey(key)}" is bound to both ${other.scope}.${other.action} (${where(other)}) and ${culprit.scope}.${culprit.action} in section "${b.scope}"`);
    }
    seen.set(key, b);
  };
  const global = new Map<string, Binding>();
  for (const b of merged.get('global')!.values()) for (const k of b.keys) claim(global, k, b);
  for (const scope of SCOPES) {
    if (scope === 'global') continue;
    const seen = new Map<string, Binding>();
    for (const b of merged.get(scope)!.values()) {
      for (const k of b.keys) {
        claim(seen, k, b);
        const g = global.get(k);
        if (g && !isModalScope(scope) && !b.shadowGlobal) {
          const [culprit, other] = blame(g, b, defaultFile);
          throw new KeymapError(
            culprit.file,
            culprit.line,
            `key "${displayKey(k)}" of ${b.scope}.${b.action} would hide global.${g.action} in the ${scope} view (${where(other)}); pick another key, or add "shadowGlobal: true" if that is meant`,
          );
        }
      }
    }
  }
}

