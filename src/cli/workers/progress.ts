// Progress of a long run on stderr: a cli-progress bar with rate and ETA on a terminal; otherwise one plain line
// per 10% done or per 10 s, whichever comes first, so logs of batch jobs (Slurm) stay short and readable.
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from '../context.ts';

export interface Progress {
  /** `done` of `total` items finished so far. */
  update(done: number): void;
  stop(): void;
}

/** Plain lines: at each further 10% of the total, or after this long without a line. */
const PLAIN_STEP_FRACTION = 0.1;
const PLAIN_INTERVAL_MS = 10_000;

export function createProgress(io: CliIo, total: number, label: string, nowMs: () => number = () => performance.now()): Progress {
  return io.isTty ? barProgress(io, total, label, nowMs) : plainProgress(io, total, label, nowMs);
}

function rate(done: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (done * 1e3) / elapsedMs : 0;
}

export function formatDurationS(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function barProgress(io: CliIo, total: number, label: string, nowMs: () => number): Progress {
  // cli-progress writes escape sequences through `write` and asks isTTY and columns: enough of a stream.
  const stream = { isTTY: true, columns: 100, write: (text: string) => io.err(text) } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar({
    ...Presets.shades_classic,
    format: `${label} |{bar}| {percentage}% | {value}/{total} points | {rate} points/s | ETA {eta_formatted}`,
    stream,
    hideCursor: true,
    etaBuffer: 200,
    fps: 5,
  });
  const start = nowMs();
  bar.start(total, 0, { rate: '0' });
  return {
    update(done) {
      bar.update(done, { rate: rate(done, nowMs() - start).toFixed(0) });
    },
    stop() {
      bar.stop();
    },
  };
}

function plainProgress(io: CliIo, total: number, label: string, nowMs: () => number): Progress {
  const start = nowMs();
  let lastLineMs = start;
  let nextStep = PLAIN_STEP_FRACTION;
  const line = (done: number): void => {
    const elapsedMs = nowMs() - start;
    const perS = rate(done, elapsedMs);
    const etaS = perS > 0 ? (total - done) / perS : Infinity;
    const pct = total > 0 ? Math.floor((done * 100) / total) : 100;
    io.err(`${label}: ${done}/${total} points (${pct}%), ${perS.toFixed(0)} points/s, ETA ${formatDurationS(etaS)}\n`);
    lastLineMs = nowMs();
  };
  return {
    update(done) {
      const fraction = total > 0 ? done / total : 1;
      if (fraction >= nextStep || nowMs() - lastLineMs >= PLAIN_INTERVAL_MS) {
        while (nextStep <= fraction) nextStep += PLAIN_STEP_FRACTION;
        if (done < total) line(done);
      }
    },
    stop() {},
  };
}
