/** Collect garbage between phases when run with --expose-gc (GC pauses are not the code's). */
export const gc = () => (globalThis as { gc?: () => void }).gc?.();
