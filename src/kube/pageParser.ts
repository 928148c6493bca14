// Parsing list pages on this thread. Pages are small (the reflector asks for 100 objects:
// ~0.3 MB of pods JSON, ~10-20 ms to parse and lean), so the UI draws between them, and each
// page's text and raw objects die young. A list worker thread parsed 500-pod pages here before:
// at 150,000 pods it cost ~65 MB of peak memory (its own heap) and ~0.25 s before the first
// page, for ~3 s less to sync; measured, and removed (README "Performance").
import { describeBody } from './client.js';
import { parseListPage, type LeanPage } from './listPage.js';
import { withoutManagedFields } from './managedFields.js';
import type { ResourceKind } from './types.js';

const decoder = new TextDecoder();

/** The list page in `body`, parsed and leaned. Throws ListPageError for a malformed page. */
export function parsePage<K extends ResourceKind>(kind: K, body: ArrayBuffer): LeanPage<K> {
  return parseListPage(kind, decoder.decode(withoutManagedFields(new Uint8Array(body))), describeBody);
}

/** The `continue` token from the first bytes of a list answer (its metadata comes first). */
export function peekContinue(body: ArrayBuffer): string | undefined {
  const head = decoder.decode(new Uint8Array(body, 0, Math.min(4096, body.byteLength)));
  return /"continue"\s*:\s*"([^"\\]+)"/.exec(head)?.[1];
}
