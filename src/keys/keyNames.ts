// Key names: the spelling used in keymap files and the name of a key Ink reports.
//
// Canonical names: a single character ("q", "G", "?", "1"), or one of NAMED_KEYS, or
// "ctrl+<letter>", or "shift+tab". Upper-case letters are the shifted keys, as in vim.

/** The subset of Ink's `Key` that the mapping reads (kept structural so tests need no Ink). */
export interface InkKey {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home?: boolean;
  end?: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

export const NAMED_KEYS = ['enter', 'escape', 'tab', 'space', 'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'backspace', 'delete'] as const;

const ALIASES: Record<string, string> = { esc: 'escape', return: 'enter', pgup: 'pageup', pgdn: 'pagedown', del: 'delete', ' ': 'space' };

/** ctrl+ letters a terminal cannot tell apart from another key, or that kfleet reserves. */
const RESERVED_CTRL: Record<string, string> = {
  c: 'ctrl+c is reserved for interrupt',
  h: 'ctrl+h is the same key as backspace in a terminal',
  i: 'ctrl+i is the same key as tab in a terminal',
  j: 'ctrl+j is the same key as enter in a terminal',
  m: 'ctrl+m is the same key as enter in a terminal',
};

export class KeyNameError extends Error {
  override name = 'KeyNameError';
}

/** Parse a key as written in a keymap file; throws KeyNameError with the reason. */
export function parseKeyName(spec: string): string {
  if (spec.length === 0) throw new KeyNameError('empty key');
  if ([...spec].length === 1) {
    if (spec === ' ') return 'space';
    if (/[\x00-\x1f\x7f]/.test(spec)) throw new KeyNameError(`control character ${JSON.stringify(spec)}: write it as ctrl+x`);
    return spec;
  }
  const lower = spec.toLowerCase();
  if (ALIASES[lower]) return ALIASES[lower];
  if ((NAMED_KEYS as readonly string[]).includes(lower)) return lower;
  const plus = lower.indexOf('+');
  if (plus > 0) {
    const mod = lower.slice(0, plus);
    const rest = spec.slice(plus + 1);
    if (rest === '') throw new KeyNameError(`"${spec}" has a modifier but no key`);
    if (mod === 'ctrl') {
      if (!/^[a-zA-Z]$/.test(rest)) throw new KeyNameError(`"${spec}": ctrl+ takes a letter (ctrl+a .. ctrl+z)`);
      const letter = rest.toLowerCase();
      if (RESERVED_CTRL[letter]) throw new KeyNameError(`"${spec}": ${RESERVED_CTRL[letter]}`);
      return `ctrl+${letter}`;
    }
    if (mod === 'shift') {
      if (rest.toLowerCase() === 'tab') return 'shift+tab';
      if (/^[a-zA-Z]$/.test(rest)) throw new KeyNameError(`"${spec}": write the upper-case letter ${rest.toUpperCase()} instead`);
      throw new KeyNameError(`"${spec}": shift+ only combines with tab`);
    }
    throw new KeyNameError(`"${spec}": unknown modifier "${mod}" (use ctrl+ or shift+tab)`);
  }
  throw new KeyNameError(`unknown key name "${spec}" (known: a single character, ${NAMED_KEYS.join(', ')}, ctrl+x, shift+tab)`);
}

/**
 * The canonical name of the key Ink reported to `useInput(input, key)`, or undefined for
 * input that is not one key (a paste, alt combinations, function keys).
 */
export function keyNameFromInk(input: string, key: InkKey): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return || input === '\n' || input === '\r') return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl) return input.length === 1 && /[a-z]/i.test(input) ? `ctrl+${input.toLowerCase()}` : undefined;
  if (key.meta) return undefined;
  if (input === ' ') return 'space';
  if ([...input].length === 1) return input;
  return undefined;
}

/** How a key is shown in help and hints. */
export function displayKey(name: string): string {
  switch (name) {
    case 'escape':
      return 'esc';
    case 'pageup':
      return 'PgUp';
    case 'pagedown':
      return 'PgDn';
    case 'up':
      return '↑';
    case 'down':
      return '↓';
    case 'left':
      return '←';
    case 'right':
      return '→';
    default:
      return name;
  }
}

const CSI_NAMES: Record<string, string> = {
  A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'shift+tab',
  '1~': 'home', '4~': 'end', '7~': 'home', '8~': 'end', '3~': 'delete', '5~': 'pageup', '6~': 'pagedown',
};

/**
 * Split raw terminal input that holds several keys (Ink hands a chunk like "j\r" or ":nod"
 * over as one input) into keys: `input` is the key's text, `name` its canonical name.
 */
export function splitKeys(data: string): { input: string; name: string | undefined }[] {
  const out: { input: string; name: string | undefined }[] = [];
  for (const tok of data.match(/\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|\x1b[\s\S]?|[\s\S]/gu) ?? []) {
    if (tok.startsWith('\x1b[') || tok.startsWith('\x1bO')) {
      const body = tok.slice(2).replace(/^1;\d+/, '');
      out.push({ input: '', name: CSI_NAMES[body] });
    } else if (tok === '\x1b') out.push({ input: '', name: 'escape' });
    else if (tok.startsWith('\x1b')) out.push({ input: tok.slice(1), name: undefined }); // alt+x: not bindable
    else if (tok === '\r' || tok === '\n') out.push({ input: '', name: 'enter' });
    else if (tok === '\t') out.push({ input: '', name: 'tab' });
    else if (tok === '\x7f' || tok === '\b') out.push({ input: '', name: 'backspace' });
    else if (tok === ' ') out.push({ input: ' ', name: 'space' });
    else if (tok.charCodeAt(0) >= 1 && tok.charCodeAt(0) <= 26) out.push({ input: '', name: `ctrl+${String.fromCharCode(tok.charCodeAt(0) + 96)}` });
    else if (tok.charCodeAt(0) < 32) out.push({ input: '', name: undefined });
    else out.push({ input: tok, name: tok });
  }
  return out;
}
