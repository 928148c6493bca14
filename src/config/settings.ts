// User settings: $XDG_CONFIG_HOME/kfleet/settings.yaml (~/.config/kfleet/settings.yaml by
// default). Today they hold the pods view's saved hierarchy:
//
//   pods:
//     groupBy: namespace,app.kubernetes.io/name|app|application,app.kubernetes.io/component|component|tier
//
// Reading never throws (a broken file is reported and ignored: the UI must still start);
// writing keeps the keys it does not know and replaces the file atomically (temp file in the
// same directory + rename), so a crash mid-write never leaves half a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export interface Settings {
  pods?: { groupBy?: string };
  [key: string]: unknown;
}

export interface LoadedSettings {
  settings: Settings;
  path: string;
  /** Why the file was ignored (unreadable, not YAML, wrong shape). */
  error?: string;
}

/** $XDG_CONFIG_HOME/kfleet (a relative XDG_CONFIG_HOME is ignored, as the spec says). */
export function settingsDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, 'kfleet');
}

export function settingsPath(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return path.join(settingsDir(env, home), 'settings.yaml');
}

export function loadSettings(file: string = settingsPath()): LoadedSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { settings: {}, path: file };
    return { settings: {}, path: file, error: `cannot read ${file}: ${code ?? String(e)}` };
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return { settings: {}, path: file, error: `${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  if (doc === null || doc === undefined) return { settings: {}, path: file };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { settings: {}, path: file, error: `${file}: expected a mapping at the top level` };
  const settings = doc as Settings;
  const pods = settings.pods;
  if (pods !== undefined && (typeof pods !== 'object' || pods === null || Array.isArray(pods) || (pods.groupBy !== undefined && typeof pods.groupBy !== 'string'))) {
    const { pods: _drop, ...rest } = settings;
    return { settings: rest, path: file, error: `${file}: "pods" must be a mapping with a string "groupBy"` };
  }
  return { settings, path: file };
}

/** Write the whole settings object atomically (creates the directory). */
export function writeSettings(settings: Settings, file: string = settingsPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, stringify(settings), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Read, change, write back (keys this version does not know are kept). */
export function updateSettings(change: (s: Settings) => void, file: string = settingsPath()): Settings {
  const { settings, error } = loadSettings(file);
  // Never overwrite a file we could not understand: the user may be editing it.
  if (error) throw new Error(`settings not saved: ${error}`);
  change(settings);
  writeSettings(settings, file);
  return settings;
}

/** The pods view's saved hierarchy spec, if any. */
export function savedGroupBy(file: string = settingsPath()): { groupBy?: string; error?: string } {
  const { settings, error } = loadSettings(file);
  return { groupBy: settings.pods?.groupBy, error };
}

export function saveGroupBy(spec: string, file: string = settingsPath()): void {
  updateSettings((s) => {
    s.pods = { ...(s.pods ?? {}), groupBy: spec };
  }, file);
}
