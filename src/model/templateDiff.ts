// Line diff of two pod templates, rendered as YAML with sorted keys (the way `kubectl get -o yaml`
// orders them), for the rollout history and the undo confirm. Pure: no I/O.

import { stringify } from 'yaml';
import { copyTemplate } from '../kube/leanTemplate.js';
import type { PodTemplateSpec } from '../kube/types.js';

/** The label the Deployment controller adds to each ReplicaSet's template; it always differs. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** One line of a diff: ' ' unchanged (context), '-' only in `from`, '+' only in `to`, '@' hunk header. */
export interface DiffLine {
  op: ' ' | '-' | '+' | '@';
  text: string;
}

export interface TemplateDiff {
  /** Hunks with `context` unchanged lines around each change; empty when the templates are equal. */
  lines: DiffLine[];
  added: number;
  removed: number;
  changed: boolean;
}

/**
 * A copy of a template without the `pod-template-hash` label (and without an emptied labels
 * map). A packed spec (lean workloads) stays packed: comparing two is then cheap.
 */
export function withoutHashLabel<T extends { metadata?: { labels?: Record<string, string> } }>(template: T): T {
  const copy = copyTemplate(template);
  const labels = copy.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(labels).length === 0) delete copy.metadata!.labels;
  }
  return copy;
}

/** Render a pod template as YAML lines with sorted keys. */
export function templateLines(template: PodTemplateSpec | undefined, ignoreHash = true): string[] {
  if (!template) return [];
  const t = ignoreHash ? withoutHashLabel(template) : template;
  const text = stringify(t, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
  return text.replace(/\n$/, '').split('\n');
}

/**
 * Diff `from` (e.g. the current template) against `to` (e.g. the target revision). The
 * `pod-template-hash` label is ignored by default, as kubectl ignores it when comparing.
 */
export function diffTemplates(
  from: PodTemplateSpec | undefined,
  to: PodTemplateSpec | undefined,
  opts: { context?: number; ignoreHash?: boolean } = {},
): TemplateDiff {
  const ignoreHash = opts.ignoreHash ?? true;
  return diffLines(templateLines(from, ignoreHash), templateLines(to, ignoreHash), opts.context ?? 3);
}

/** Unified-style diff of two line arrays (LCS based), grouped in hunks with `context` lines. */
export function diffLines(a: string[], b: string[], context = 3): TemplateDiff {
  const full = lcsDiff(a, b);
  let added = 0;
  let removed = 0;
  for (const l of full) {
    if (l.op === '+') added++;
    else if (l.op === '-') removed++;
  }
  if (added === 0 && removed === 0) return { lines: [], added, removed, changed: false };

  // Keep changed lines plus `context` lines either side; mark gaps with a hunk header.
  const keep = new Array<boolean>(full.length).fill(false);
  full.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(full.length - 1, i + context); j++) keep[j] = true;
  });
  const lines: DiffLine[] = [];
  let aLine = 1;
  let bLine = 1;
  let prevKept = false;
  full.forEach((l, i) => {
    if (keep[i]) {
      if (!prevKept) lines.push({ op: '@', text: `@@ -${aLine} +${bLine} @@` });
      lines.push(l);
    }
    prevKept = keep[i]!;
    if (l.op !== '+') aLine++;
    if (l.op !== '-') bLine++;
  });
  return { lines, added, removed, changed: true };
}

/** Lines as text with their markers, e.g. "- image: nginx:1.25". */
export function formatDiff(diff: TemplateDiff): string[] {
  return diff.lines.map((l) => (l.op === '@' ? l.text : `${l.op} ${l.text}`));
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  // Trim the common prefix and suffix first: templates differ in a few lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ op: ' ' as const, text }));
  if (n * m > 4_000_000) {
    // Too big for the table: show the middle as removed then added.
    for (const text of midA) out.push({ op: '-', text });
    for (const text of midB) out.push({ op: '+', text });
  } else {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..]
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ op: ' ', text: midA[i]! });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        // Prefer removals before additions for the same spot, as `diff -u` prints them.
        if (i < n && lcs[i + 1]![j]! === lcs[i]![j + 1]!) {
          out.push({ op: '-', text: midA[i]! });
          i++;
        } else {
          out.push({ op: '+', text: midB[j]! });
          j++;
        }
      } else {
        out.push({ op: '-', text: midA[i]! });
        i++;
      }
    }
  }
  for (const text of a.slice(endA)) out.push({ op: ' ', text });
  return out;
}
