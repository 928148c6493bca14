// `npm run bench`: kfleet against the embedded cluster at 10,000 / 50,000 / 150,000 pods, with
// kubectl against the same server as the reference. Prints a table and writes
// bench-results/<date>.json. A benchmark, not a test: it asserts nothing, it reports.
//
//   npm run bench -- --sizes 10000,150000 --churn-seconds 600 --out my.json
//
// Per size: start the sim (own process, controllers off so only churn changes the cluster;
// metrics.k8s.io reports new usage for every pod every 15 s, metrics-server's usual resolution
// in Helm charts, so each metrics poll brings fresh figures for every pod), run kubectl get
// pods -A and -o json, then kfleet in a pseudo-terminal:
//   first frame with data, fully synced, peak RSS; idle CPU; keypress-to-frame latency
//   (scroll, filter, switch views); churn at 2,000 events/s for N s (CPU, RSS growth,
//   keypress-to-frame latency under churn, how far kfleet's applied resourceVersion trails
//   the server's, and how long it takes to catch up once churn stops = backlog).
//   For the load (until synced), idle and churn phases, from kfleet's trace: the longest GC
//   pause and its kind, the GCs of 50 ms or more, and the metrics polls with their CPU time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { ROOT } from '../helpers/pty.js';
import { BenchSession, percentile, selectedLine, type TraceLine } from './kfleet.js';
import { runKubectl, type KubectlRun } from './kubectl.js';
import { MB, cpuMsOf, cpuPercent, cpuTicks, machine, memOf, resetPeakRss, sleep, stealBetween } from './proc.js';
import { highestPerQuarter, trendSecondHalfMBPerMin } from './rssCourse.js';

interface Options {
  sizes: number[];
  churnSeconds: number;
  churnRate: number;
  idleSeconds: number;
  /** Also measure idle CPU over a whole metrics-poll cycle (one poll and its aftermath). */
  idleCycle: boolean;
  /** Poll cycles measured one after the other (the first follows the sync, whose own garbage V8 may still be collecting). */
  idleCycles: number;
  out: string;
  kubectl: boolean;
  /** kubectl is killed past this RSS (MB): a shared machine cannot give it tens of GB. */
  kubectlCapMB: number;
  /** Keep kfleet's trace (KFLEET_TRACE lines) next to --out, to see what a slow key met. */
  keepTrace: boolean;
}

const NODES_FOR: Record<number, number> = { 10_000: 500, 50_000: 2_000, 150_000: 5_000 };

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [10_000, 50_000, 150_000], churnSeconds: 60, churnRate: 2000, idleSeconds: 15, idleCycle: false, idleCycles: 1, out: '', kubectl: true, kubectlCapMB: 8192, keepTrace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--sizes') o.sizes = v().split(',').map((s) => Number(s.replace(/k$/i, '000')));
    else if (a === '--churn-seconds') o.churnSeconds = Number(v());
    else if (a === '--long') o.churnSeconds = 600;
    else if (a === '--churn-rate') o.churnRate = Number(v());
    else if (a === '--idle-seconds') o.idleSeconds = Number(v());
    else if (a === '--idle-cycle') o.idleCycle = true;
    else if (a === '--idle-cycles') {
      o.idleCycle = true;
      o.idleCycles = Number(v());
    } else if (a === '--out') o.out = v();
    else if (a === '--no-kubectl') o.kubectl = false;
    else if (a === '--kubectl-cap-mb') o.kubectlCapMB = Number(v());
    else if (a === '--keep-trace') o.keepTrace = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run bench -- [--sizes 10000,50000,150000] [--churn-seconds 60 | --long] [--churn-rate 2000] [--idle-seconds 15] [--idle-cycle | --idle-cycles N] [--no-kubectl] [--kubectl-cap-mb 8192] [--out FILE [--keep-trace]]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.keepTrace && !o.out) throw new Error('--keep-trace keeps the trace next to --out FILE: give --out');
  return o;
}

const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const r1 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 10) / 10);
const sec = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);

/** The selected row's identity: its first two name-like words (not its changing counts). */
function rowId(screen: string): string {
  const words = selectedLine(screen).slice(2).trim().split(/\s+/);
  return words.filter((w) => /^[a-z][-a-z0-9.]*$/.test(w)).slice(0, 2).join(' ');
}

/** Metrics-server's usual resolution: the sim's usage figures change this often. */
const METRICS_CHANGE_EVERY_S = 15;

/** From kfleet's trace, between two epoch times: GC pauses (≥ 5 ms, by start) and metrics
 *  polls (by end). A poll's CPU is the whole process's meanwhile, so under churn it includes
 *  the event handling that ran during the poll. */
function phaseFigures(trace: TraceLine[], from: number, to: number) {
  const lines = trace.filter((l) => l.t >= from && l.t <= to);
  const gcs = lines.filter((l) => l.event === 'gc');
  const longest = gcs.reduce<TraceLine | undefined>((m, g) => (!m || (g.ms ?? 0) > (m.ms ?? 0) ? g : m), undefined);
  const polls = lines.filter((l) => l.event === 'metrics-poll');
  const pollCpu = polls.reduce((a, p) => a + (p.cpuMs ?? 0), 0);
  return {
    seconds: sec(to - from),
    gc: {
      longestMs: longest?.ms ?? 0,
      longestKind: longest?.kind,
      over50ms: gcs.filter((g) => (g.ms ?? 0) >= 50).length,
      over5ms: gcs.length,
      totalMs: r1(gcs.reduce((a, g) => a + (g.ms ?? 0), 0)),
    },
    metricsPolls: {
      n: polls.length,
      cpuMsTotal: pollCpu,
      cpuMsMean: polls.length ? r1(pollCpu / polls.length) : undefined,
      wallMsMax: polls.length ? Math.max(...polls.map((p) => p.wallMs ?? 0)) : undefined,
    },
  };
}

async function scroll(s: BenchSession, n: number, gapMs: number, out: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = rowId(s.pty.screen());
    out.push(await s.keyLatency(i % 10 === 9 ? '\x1b[6~' : 'j', (scr) => rowId(scr) !== '' && rowId(scr) !== before));
    await sleep(gapMs);
  }
}

async function benchSize(pods: number, o: Options) {
  const nodes = NODES_FOR[pods] ?? Math.max(1, Math.round(pods / 30));
  const res: Record<string, unknown> = { pods, nodes };
  log(`${pods} pods / ${nodes} nodes: starting the sim`);
  let t = performance.now();
  const sim: SimHandle = await startSim({ scenario: 'generated', pods, nodes, controllers: false, metricsChangeEverySec: METRICS_CHANGE_EVERY_S, startTimeoutMs: 600_000 });
  res.simStartS = sec(performance.now() - t);
  try {
    // ---- the reference: kubectl ----
    let kGet: KubectlRun | undefined;
    let kJson: KubectlRun | undefined;
    if (o.kubectl) {
      log('kubectl get pods -A');
      const cap = o.kubectlCapMB * 2 ** 20;
      kGet = await runKubectl(sim.kubeconfigPath, ['get', 'pods', '-A'], cap);
      log(`  ${sec(kGet.wallMs)} s, ${MB(kGet.peakRssBytes)} MB; kubectl get pods -A -o json`);
      kJson = await runKubectl(sim.kubeconfigPath, ['get', 'pods', '-A', '-o', 'json'], cap);
      log(`  ${sec(kJson.wallMs)} s, ${MB(kJson.peakRssBytes)} MB`);
      const fig = (r: KubectlRun) => ({ wallS: sec(r.wallMs), peakRssMB: MB(r.peakRssBytes), outputMB: MB(r.outputBytes), killedAtCapMB: r.killedAtCap ? o.kubectlCapMB : undefined });
      res.kubectl = { getPodsA: fig(kGet), getPodsAJson: fig(kJson) };
    }

    // ---- kfleet: load ----
    log('kfleet: load');
    const traceFile = path.join(os.tmpdir(), `kfleet-bench-${process.pid}-${pods}.trace`);
    const s = new BenchSession(['--kubeconfig', sim.kubeconfigPath], traceFile, 120, 40);
    const firstData = await s.until((scr) => /team-\d\d/.test(scr), 120_000, 'the first pods on screen');
    const synced = await s.until((scr) => scr.includes('✓ synced'), 600_000, '"✓ synced"');
    await sleep(1000);
    const memSynced = memOf(s.pid)!;
    s.readTrace();
    const firstFrame = s.trace.find((l) => l.event === 'frame');
    res.kfleet = {
      firstFrameS: sec((firstFrame?.t ?? firstData) - s.startedAt),
      firstDataS: sec(firstData - s.startedAt),
      syncedS: sec(synced - s.startedAt),
      peakRssAfterSyncMB: MB(memSynced.hwm),
      rssAfterSyncMB: MB(memSynced.rss),
    };
    const k = res.kfleet as Record<string, unknown>;
    log(`  first data ${k.firstDataS} s, synced ${k.syncedS} s, peak RSS ${k.peakRssAfterSyncMB} MB`);

    // ---- idle CPU, quiet cluster ----
    // The first metrics poll starts when the pods are listed (at 150,000 pods it reads for ~5 s);
    // idle is what follows it. Its cost, amortised over the time to the next poll, is reported
    // with the polls below.
    const pollWaitFrom = performance.now();
    const polled = () => (s.readTrace(), s.trace.some((l) => l.event === 'metrics-poll'));
    while (performance.now() - pollWaitFrom < 120_000 && !polled()) await sleep(200);
    const firstPoll = s.trace.find((l) => l.event === 'metrics-poll');
    if (firstPoll) {
      k.firstPoll = {
        wallS: sec(firstPoll.wallMs),
        cpuS: sec(firstPoll.cpuMs),
        nextS: sec(firstPoll.nextMs),
        // Its CPU spread over the time until the next poll: what polling adds to idle CPU.
        cpuSharePct: r1((100 * (firstPoll.cpuMs ?? 0)) / (firstPoll.nextMs ?? 1)),
      };
    }
    await sleep(3000);
    const idleFrom = performance.timeOrigin + performance.now();
    const cycleCpu0 = cpuMsOf(s.pid);
    k.idleCpuPct = r1(await cpuPercent(s.pid, o.idleSeconds * 1000));
    let idleTo = performance.timeOrigin + performance.now();
    log(`  idle CPU ${k.idleCpuPct}% over ${o.idleSeconds} s; first metrics poll ${JSON.stringify(k.firstPoll)}`);
    if (o.idleCycle && firstPoll) {
      // The 15 s above follow a poll, and V8 finishes collecting the poll's garbage in them:
      // the worst stretch. Over a whole cycle (from 3 s after one poll to 3 s after the next:
      // one poll and one aftermath) is what a quiet cluster costs in the long run.
      // The first cycle also holds what V8 does once after the sync (its memory reducer's full
      // GCs of the listed heap); `--idle-cycles 2` measures the next one as well.
      const polls = () => (s.readTrace(), s.trace.filter((l) => l.event === 'metrics-poll'));
      const cycles: { seconds: number | undefined; cpuPct: number | undefined }[] = [];
      let from = idleFrom;
      let cpuFrom = cycleCpu0;
      for (let n = 1; n <= o.idleCycles; n++) {
        const last = polls().at(-1);
        const waitUntil = performance.now() + (last?.nextMs ?? 300_000) + 120_000;
        while (polls().length < n + 1 && performance.now() < waitUntil) await sleep(500);
        await sleep(3000);
        idleTo = performance.timeOrigin + performance.now();
        const cpu = cpuMsOf(s.pid);
        cycles.push({ seconds: r1((idleTo - from) / 1000), cpuPct: r1((100 * (cpu - cpuFrom)) / (idleTo - from)) });
        log(`  idle CPU over metrics-poll cycle ${n} ${JSON.stringify(cycles.at(-1))}`);
        from = idleTo;
        cpuFrom = cpu;
      }
      k.idleCycle = { ...cycles[0], polls: polls().length - 1 };
      k.idleCycles = cycles;
    }
    k.peakRssAfterIdleMB = MB(memOf(s.pid)!.hwm);
    log(`  peak RSS ${k.peakRssAfterIdleMB} MB`);

    // ---- keypress to frame, quiet cluster ----
    const scrollMs: number[] = [];
    const filterMs: number[] = [];
    const viewMs: number[] = [];
    await scroll(s, 40, 60, scrollMs);
    // Switch views: nodes, rollouts, pods (tree), the plain pod list.
    for (const [key, title] of [['1', 'kfleet Nodes'], ['4', 'kfleet Rollouts'], ['2', 'kfleet Pods '], ['1', 'kfleet Nodes'], ['2', 'kfleet Pods ']] as const) {
      viewMs.push(await s.keyLatency(key, (scr) => scr.startsWith(title), 60_000));
      await sleep(300);
    }
    s.pty.press(':podlist');
    await s.until((scr) => scr.includes(':podlist'), 10_000, 'the palette');
    viewMs.push(await s.keyLatency('\r', (scr) => scr.startsWith('kfleet Pod list'), 60_000));
    await scroll(s, 20, 60, scrollMs);
    // Filter the plain list, a character at a time, then clear it.
    await s.keyLatency('/', (scr) => scr.includes('/█'));
    let typed = '';
    for (const ch of 'app-12') {
      typed += ch;
      filterMs.push(await s.keyLatency(ch, (scr) => scr.includes(`matching /${typed} in`), 60_000));
      await sleep(60);
    }
    filterMs.push(await s.keyLatency('\x1b', (scr) => !scr.includes('matching /'), 60_000));
    const allKeys = [...scrollMs, ...filterMs, ...viewMs];
    k.keys = {
      scroll: { n: scrollMs.length, p50: r1(percentile(scrollMs, 50)), p99: r1(percentile(scrollMs, 99)) },
      filter: { n: filterMs.length, p50: r1(percentile(filterMs, 50)), p99: r1(percentile(filterMs, 99)), max: r1(Math.max(...filterMs)) },
      switchView: { n: viewMs.length, p50: r1(percentile(viewMs, 50)), p99: r1(percentile(viewMs, 99)), max: r1(Math.max(...viewMs)) },
      all: { n: allKeys.length, p50: r1(percentile(allKeys, 50)), p99: r1(percentile(allKeys, 99)) },
      // Each key's figure in order (the first 40 scrolls in the pods tree, then 20 in the plain
      // list just opened), to see where an outlier came from.
      scrollEach: scrollMs.map(r1),
      // Nodes, rollouts, pods tree, nodes, pods tree, the plain pod list; then the filter's keys.
      switchEach: viewMs.map(r1),
      filterEach: filterMs.map(r1),
    };
    log(`  keys ${JSON.stringify(k.keys)}`);

    // ---- churn ----
    // Back to the default view (the grouped pods tree), where every pod change counts.
    await s.keyLatency('2', (scr) => scr.startsWith('kfleet Pods '), 60_000);
    await sleep(1000);
    log(`  churn ${o.churnRate}/s for ${o.churnSeconds} s`);
    // What is live (after a full GC) before and after: growth of that would be a leak; RSS
    // growth beyond it is garbage V8 lets pile up between its full GCs.
    const liveStart = await s.liveHeap();
    await sleep(500);
    // The peak so far (load, idle, keys) apart from the churn's own.
    k.peakRssBeforeChurnMB = MB(memOf(s.pid)!.hwm);
    const peakSinceChurn = resetPeakRss(s.pid);
    const rssStart = memOf(s.pid)!.rss;
    s.readTrace();
    const traceFrom = s.trace.length;
    const rv0 = (await sim.control('info')).rv as number;
    await sim.setChurn(o.churnRate);
    const c0 = cpuMsOf(s.pid);
    const tc0 = performance.now();
    const churnKeys: number[] = [];
    const churnKeyAt: number[] = []; // epoch ms each churn key was sent
    const lags: { t: number; events: number }[] = [];
    const rss: { t: number; mb: number }[] = [];
    let dir = 0;
    while (performance.now() - tc0 < o.churnSeconds * 1000) {
      // A keypress every ~0.5 s (down 5, up 5...), timed to the frame that shows it.
      const before = rowId(s.pty.screen());
      churnKeyAt.push(performance.timeOrigin + performance.now());
      try {
        churnKeys.push(await s.keyLatency(dir++ % 10 < 5 ? 'j' : 'k', (scr) => rowId(scr) !== '' && rowId(scr) !== before, 10_000));
      } catch {
        churnKeys.push(10_000);
      }
      await sleep(450);
      const info = await sim.control('info');
      lags.push({ t: Math.round((performance.now() - tc0) / 1000), events: Math.max(0, (info.rv as number) - s.latestRv()) });
      if (rss.length === 0 || performance.now() - tc0 > rss.length * 5000) rss.push({ t: Math.round((performance.now() - tc0) / 1000), mb: MB(memOf(s.pid)!.rss)! });
    }
    const churnCpu = (100 * (cpuMsOf(s.pid) - c0)) / (performance.now() - tc0);
    await sim.setChurn(0);
    const rvEnd = (await sim.control('info')).rv as number;
    const tStop = performance.now();
    let caughtUpMs: number | undefined;
    while (performance.now() - tStop < 60_000) {
      if (s.latestRv() >= rvEnd) {
        caughtUpMs = performance.now() - tStop;
        break;
      }
      await sleep(20);
    }
    const frames = s.trace.slice(traceFrom).filter((l) => l.event === 'frame' && l.t <= performance.timeOrigin + tStop);
    const gaps = frames.slice(1).map((f, i) => f.t - frames[i].t);
    const ticks = s.trace.slice(traceFrom).filter((l) => l.event === 'tick');
    const half = Math.floor(lags.length / 2);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const memEnd = memOf(s.pid)!;
    const liveEnd = await s.liveHeap();
    const slowFrom = percentile(churnKeys, 98) ?? Infinity; // no keys: no slow ones
    // Where the memory is at the churn's highest RSS: V8's heap (what it holds, and its objects
    // live or not yet collected) against the rest (Buffers, malloc, the binary).
    const atPeak = ticks.reduce<TraceLine | undefined>((a, x) => ((x.rss ?? 0) > (a?.rss ?? 0) ? x : a), undefined);
    k.churn = {
      rate: o.churnRate,
      seconds: o.churnSeconds,
      startedAtEpochMs: Math.round(performance.timeOrigin + tc0),
      serverEvents: rvEnd - rv0,
      cpuPct: r1(churnCpu),
      keyToFrame: { n: churnKeys.length, p50: r1(percentile(churnKeys, 50)), p99: r1(percentile(churnKeys, 99)), max: r1(Math.max(...churnKeys)) },
      // The slowest 2 % of keys: [seconds into the churn, ms], to line up with the trace.
      slowKeys: churnKeys
        .map((ms, i) => [r1((churnKeyAt[i] - performance.timeOrigin - tc0) / 1000)!, r1(ms)!])
        .filter(([, ms]) => ms >= slowFrom),
      framesPerS: r1(frames.length / ((tStop - (frames[0]?.t ?? 0) + performance.timeOrigin) / 1000)),
      frameGapP99: r1(percentile(gaps, 99)),
      eventLoopDelayP99Max: r1(Math.max(0, ...ticks.map((x) => x.delayP99 ?? 0))),
      eventLoopUtilisationAvg: r1(100 * avg(ticks.map((x) => x.elu ?? 0))),
      lagEventsFirstHalfAvg: Math.round(avg(lags.slice(0, half).map((l) => l.events))),
      lagEventsSecondHalfAvg: Math.round(avg(lags.slice(half).map((l) => l.events))),
      catchUpMs: r1(caughtUpMs),
      // A backlog is a lag that grows while churn goes on (kfleet applies fewer events than
      // arrive), or one it cannot work off within 10 s of the churn stopping.
      backlog: caughtUpMs === undefined || caughtUpMs > 10_000 || avg(lags.slice(half).map((l) => l.events)) > 2 * avg(lags.slice(0, half).map((l) => l.events)) + o.churnRate,
      rssStartMB: MB(rssStart),
      rssEndMB: MB(memEnd.rss),
      rssGrowthMB: MB(memEnd.rss - rssStart),
      peakRssMB: MB(memEnd.hwm),
      peakRssSince: peakSinceChurn ? 'churn start' : 'kfleet start',
      liveHeapStartMB: MB(liveStart),
      liveHeapEndMB: MB(liveEnd),
      atPeakRss: atPeak && { rssMB: MB(atPeak.rss), heapTotalMB: MB(atPeak.heapTotal), heapUsedMB: MB(atPeak.heap), externalMB: MB(atPeak.external) },
      rssSamples: rss,
      // V8's heap in use right after each of its own full GCs in the churn (trace.ts): the live
      // heap's course without full GCs forced by the bench.
      heapAfterFullGcs: s.trace
        .slice(traceFrom)
        .filter((l) => l.event === 'gc' && l.kind === 'major' && l.heapAfter !== undefined && l.t <= performance.timeOrigin + tStop)
        .map((l) => ({ t: Math.round((l.t - performance.timeOrigin - tc0) / 1000), mb: MB(l.heapAfter)! })),
    };
    log(`  churn ${JSON.stringify({ ...(k.churn as object), rssSamples: undefined, heapAfterFullGcs: undefined })}`);

    // ---- idle again, after churn ----
    await sleep(3000);
    const idle2From = performance.timeOrigin + performance.now();
    k.idleCpuAfterChurnPct = r1(await cpuPercent(s.pid, o.idleSeconds * 1000));
    const idle2To = performance.timeOrigin + performance.now();

    // ---- GC pauses and metrics polls per phase (the trace is complete by now) ----
    s.readTrace();
    k.phases = {
      load: phaseFigures(s.trace, s.startedAt, synced),
      idle: phaseFigures(s.trace, idleFrom, idleTo),
      churn: phaseFigures(s.trace, performance.timeOrigin + tc0, performance.timeOrigin + tStop),
      idleAfterChurn: phaseFigures(s.trace, idle2From, idle2To),
    };
    log(`  phases ${JSON.stringify(k.phases)}`);
    await s.quit();
    if (o.keepTrace) fs.renameSync(traceFile, `${o.out}.${pods}.trace`);
    else fs.rmSync(traceFile, { force: true });

    if (kGet && kJson) {
      res.ratios = {
        syncedVsGet: r1((k.syncedS as number) / (sec(kGet.wallMs) as number)),
        syncedVsJson: r1((k.syncedS as number) / (sec(kJson.wallMs) as number)),
        peakRssVsGet: r1(memSynced.hwm / kGet.peakRssBytes),
        peakRssVsJson: r1(memSynced.hwm / kJson.peakRssBytes),
      };
    }
    return res;
  } finally {
    await sim.stop();
  }
}

/** "12.3 / 456", or "> 12.3 / > 8192 (killed)" when kubectl was stopped at the RSS cap. */
const kfig = (k: { wallS: number; peakRssMB: number; killedAtCapMB?: number }) => (k.killedAtCapMB ? `> ${k.wallS} / > ${k.killedAtCapMB} (killed at cap)` : `${k.wallS} / ${k.peakRssMB}`);

/** A figure (RSS, the heap after full GCs) at the start, each quarter and the end of the churn: does it level off? */
function atQuarters(samples: { t: number; mb: number }[] | undefined): string {
  if (!samples?.length) return '-';
  const end = samples[samples.length - 1]!.t;
  return [0, 0.25, 0.5, 0.75, 1].map((f) => samples.find((x) => x.t >= f * end)?.mb ?? '-').join(' / ');
}

type Phase = ReturnType<typeof phaseFigures>;
const gcFig = (p: Phase | undefined) => (p ? `${p.gc.longestMs} (${p.gc.longestKind ?? '-'}), ${p.gc.over50ms}` : '-');
const pollFig = (p: Phase | undefined) => (p ? `${p.metricsPolls.n}, ${p.metricsPolls.cpuMsTotal} / ${p.metricsPolls.cpuMsMean ?? '-'}` : '-');

function table(results: Record<string, any>[]): string {
  const rows: [string, (r: any) => unknown][] = [
    ['pods / nodes', (r) => `${r.pods.toLocaleString('en')} / ${r.nodes.toLocaleString('en')}`],
    ['kubectl get pods -A: wall s / peak RSS MB', (r) => (r.kubectl ? kfig(r.kubectl.getPodsA) : '-')],
    ['kubectl get pods -A -o json: wall s / peak RSS MB', (r) => (r.kubectl ? kfig(r.kubectl.getPodsAJson) : '-')],
    ['kfleet first frame / first data, s', (r) => `${r.kfleet.firstFrameS} / ${r.kfleet.firstDataS}`],
    ['kfleet fully synced, s (ratio to get -A)', (r) => `${r.kfleet.syncedS} (${r.ratios?.syncedVsGet ?? '-'})`],
    ['kfleet peak RSS until synced, MB (ratio to get -A)', (r) => `${r.kfleet.peakRssAfterSyncMB} (${r.ratios?.peakRssVsGet ?? '-'})`],
    ['kfleet RSS 1 s after sync, MB', (r) => `${r.kfleet.rssAfterSyncMB}`],
    ['load: longest GC ms (kind), GCs ≥ 50 ms', (r) => gcFig(r.kfleet.phases?.load)],
    ['kfleet peak RSS after first metrics poll + idle, MB', (r) => `${r.kfleet.peakRssAfterIdleMB}`],
    ['first metrics poll: wall s / CPU s / next in s (CPU %)', (r) => (r.kfleet.firstPoll ? `${r.kfleet.firstPoll.wallS} / ${r.kfleet.firstPoll.cpuS} / ${r.kfleet.firstPoll.nextS} (${r.kfleet.firstPoll.cpuSharePct})` : '-')],
    ['kfleet idle CPU %: 15 s after a poll (after churn)', (r) => `${r.kfleet.idleCpuPct} (${r.kfleet.idleCpuAfterChurnPct})`],
    ['kfleet idle CPU % over a metrics-poll cycle (s)', (r) => (r.kfleet.idleCycles ?? (r.kfleet.idleCycle ? [r.kfleet.idleCycle] : [])).map((c: { cpuPct: number; seconds: number }) => `${c.cpuPct} (${c.seconds})`).join('; ') || '-'],
    ['idle: longest GC ms (kind), GCs ≥ 50 ms', (r) => gcFig(r.kfleet.phases?.idle)],
    ['key→frame scroll p50/p99 ms', (r) => `${r.kfleet.keys.scroll.p50} / ${r.kfleet.keys.scroll.p99}`],
    ['key→frame filter p50/p99 ms', (r) => `${r.kfleet.keys.filter.p50} / ${r.kfleet.keys.filter.p99}`],
    ['key→frame switch view p50/p99 ms', (r) => `${r.kfleet.keys.switchView.p50} / ${r.kfleet.keys.switchView.p99}`],
    ['key→frame all p50/p99 ms', (r) => `${r.kfleet.keys.all.p50} / ${r.kfleet.keys.all.p99}`],
    ['churn: events/s × s', (r) => `${r.kfleet.churn.rate} × ${r.kfleet.churn.seconds}`],
    ['churn: key→frame p50/p99 ms', (r) => `${r.kfleet.churn.keyToFrame.p50} / ${r.kfleet.churn.keyToFrame.p99}`],
    ['churn: CPU % / frames/s', (r) => `${r.kfleet.churn.cpuPct} / ${r.kfleet.churn.framesPerS}`],
    ['churn: lag events 1st/2nd half, catch-up ms', (r) => `${r.kfleet.churn.lagEventsFirstHalfAvg} / ${r.kfleet.churn.lagEventsSecondHalfAvg}, ${r.kfleet.churn.catchUpMs}`],
    ['churn: backlog', (r) => (r.kfleet.churn.backlog ? 'YES' : 'no')],
    ['churn: RSS start → end MB (growth)', (r) => `${r.kfleet.churn.rssStartMB} → ${r.kfleet.churn.rssEndMB} (${r.kfleet.churn.rssGrowthMB})`],
    ['churn: RSS at 0/25/50/75/100 % of the churn, MB', (r) => atQuarters(r.kfleet.churn.rssSamples)],
    ['churn: heap after V8\'s full GCs at 0/25/50/75/100 %, MB', (r) => atQuarters(r.kfleet.churn.heapAfterFullGcs)],
    ['churn: highest RSS in each quarter of the churn, MB', (r) => highestPerQuarter(r.kfleet.churn.rssSamples ?? []).map((mb) => mb ?? '-').join(' / ') || '-'],
    ['churn: RSS trend over the churn\'s second half, MB/min', (r) => r1(r.kfleet.churn.rssSamples && trendSecondHalfMBPerMin(r.kfleet.churn.rssSamples)) ?? '-'],
    ['peak RSS before the churn (load, idle, keys), MB', (r) => `${r.kfleet.peakRssBeforeChurnMB ?? '-'}`],
    ['churn: peak RSS MB; live heap after full GC start → end MB', (r) => `${r.kfleet.churn.peakRssMB}${r.kfleet.churn.peakRssSince === 'kfleet start' ? ' (since kfleet start)' : ''}; ${r.kfleet.churn.liveHeapStartMB ?? '-'} → ${r.kfleet.churn.liveHeapEndMB ?? '-'}`],
    ['churn: at its highest RSS (1 s ticks): RSS / V8 heap held / in use / external MB', (r) => { const a = r.kfleet.churn.atPeakRss; return a ? `${a.rssMB} / ${a.heapTotalMB} / ${a.heapUsedMB} / ${a.externalMB}` : '-'; }],
    ['churn: longest GC ms (kind), GCs ≥ 50 ms', (r) => gcFig(r.kfleet.phases?.churn)],
    ['churn: metrics polls, CPU ms total / mean', (r) => pollFig(r.kfleet.phases?.churn)],
  ];
  const cells = rows.map(([name, f]) => [name, ...results.map((r) => String(f(r)))]);
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const lines = cells.map((c) => '| ' + c.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |');
  lines.splice(1, 0, '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|'); // Markdown's header rule
  return lines.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  const started = new Date();
  const m0 = machine();
  const ticks0 = cpuTicks();
  log(`machine: ${m0.cpus} CPUs (${m0.cpuModel}), ${m0.memGiB} GiB, load ${m0.loadavg.join(' ')}`);
  const results: Record<string, unknown>[] = [];
  for (const size of o.sizes) {
    results.push(await benchSize(size, o));
    log(`load now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  }
  const m1 = machine();
  // A VM's CPU can be taken by other guests (steal): every timing of the run is then slower.
  const steal = stealBetween(ticks0, cpuTicks());
  const report = { date: started.toISOString(), machine: { ...m0, loadavgStart: m0.loadavg, loadavgEnd: m1.loadavg, steal }, options: o, results };
  const file = o.out || path.join(ROOT, 'bench-results', `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\nkfleet benchmark, ${started.toISOString().slice(0, 16)}Z, ${m0.cpus} CPUs, ${m0.memGiB} GiB, load ${m0.loadavg.join(' ')} → ${m1.loadavg.join(' ')}${steal ? `, CPU stolen by the hypervisor ${steal.ofAllPct} % of all CPU time (${steal.ofBusyPct} % of the time at work or stolen)` : ''}\n\n`);
  process.stdout.write(table(results as Record<string, any>[]) + '\n\n');
  process.stdout.write(`JSON: ${path.relative(process.cwd(), file)}\n`);
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
