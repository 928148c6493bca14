// Deterministic fake container logs: line i of a container is always the same text.

const MESSAGES = [
  'GET /healthz 200 0.4ms',
  'processed batch size=128 lag=0',
  'GET /api/orders 200 12.1ms',
  'cache refresh complete entries=5120',
  'POST /api/checkout 201 48.0ms',
  'connection pool stats active=4 idle=12',
];

export function podLogLines(pod: any, container: string, previous: boolean, from: number, count: number, now: number): { ts: string; text: string }[] {
  const out: { ts: string; text: string }[] = [];
  const image: string = (pod.spec?.containers ?? []).find((c: any) => c.name === container)?.image ?? '';
  const crashing = /crash|:bad/.test(image);
  const start = Date.parse(pod.metadata.creationTimestamp ?? new Date(now).toISOString());
  for (let i = from; i < from + count; i++) {
    const ts = new Date(start + i * 1000).toISOString();
    let text: string;
    if (i === 0) text = `level=info msg="starting ${container}" pod=${pod.metadata.name} image=${image}`;
    else if ((crashing || previous) && i === from + count - 1 && from === 0) text = `level=fatal msg="panic: config key \\"DATABASE_URL\\" missing" container=${container}`;
    else text = `level=info msg="${MESSAGES[i % MESSAGES.length]}" seq=${i}`;
    out.push({ ts, text });
  }
  return out;
}
