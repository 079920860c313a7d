// One trace replay from start to finish: drives a device with a TraceDriver through the engine and
// turns cycles into the nanosecond and GB/s figures the CLI and the fidelity tests report.
import { runEngine } from './engine.ts';
import { summarize, type Percentiles } from './histogram.ts';
import { TraceDriver, type RequestStream, type TraceDriverOptions, type TraceDriverResult } from './traceDriver.ts';
import type { MemoryDevice, MemoryDeviceStats } from './types.ts';

export interface SimulationSummary {
  readonly device: string;
  readonly requests: number;
  readonly reads: number;
  readonly writes: number;
  /** Bytes the requests asked for. */
  readonly bytes: number;
  /** Bytes that crossed the DRAM data bus (whole bursts; merged duplicates cross once). */
  readonly busBytes: number;
  /** Cycle of the last completion (the simulation starts at cycle 0). */
  readonly simulatedCycles: number;
  readonly simulatedNs: number;
  readonly bandwidthGBps: number;
  readonly busBandwidthGBps: number;
  readonly peakBandwidthGBps: number;
  readonly latencyNs: Percentiles;
  /** Per-batch gather time; null in timed mode. */
  readonly batchNs: Percentiles | null;
  readonly batches: number;
  /** Time-averaged requests outstanding between the first arrival and the last completion. */
  readonly meanOutstanding: number;
  /** Engine steps taken (cycles visited; the rest were skipped). */
  readonly engineSteps: number;
  readonly deviceStats: MemoryDeviceStats;
  readonly driver: TraceDriverResult;
}

/** Replays `stream` on `device` until every request has completed. */
export function simulate(device: MemoryDevice, stream: RequestStream, options: TraceDriverOptions): SimulationSummary {
  const driver = new TraceDriver(stream, options);
  const engine = runEngine(device, driver);
  return summarizeRun(device, options.mode, driver.result(), engine.steps, device.stats());
}

/** What `summarizeRun` needs to know about the device that ran. */
export type RunDevice = Pick<MemoryDevice, 'name' | 'tCkPs' | 'peakBandwidthGBps'>;

/**
 * Turns one replay's driver result and device statistics into the summary `simulate` returns; shared with the
 * compiled core (compiledCore.ts), so both report alike.
 */
export function summarizeRun(device: RunDevice, mode: TraceDriverOptions['mode'], r: TraceDriverResult, engineSteps: number, stats: MemoryDeviceStats): SimulationSummary {
  const nsPerCycle = device.tCkPs / 1000;
  const simulatedCycles = r.lastCompletionCycle;
  const simulatedNs = simulatedCycles * nsPerCycle;
  const active = r.lastCompletionCycle - r.firstArrivalCycle;
  return {
    device: device.name,
    requests: r.requests,
    reads: r.reads,
    writes: r.writes,
    bytes: r.bytes,
    busBytes: stats.busBytes,
    simulatedCycles,
    simulatedNs,
    // bytes per ns is GB/s (decimal).
    bandwidthGBps: simulatedNs > 0 ? r.bytes / simulatedNs : 0,
    busBandwidthGBps: simulatedNs > 0 ? stats.busBytes / simulatedNs : 0,
    peakBandwidthGBps: device.peakBandwidthGBps,
    latencyNs: r.latency.summary(nsPerCycle),
    batchNs: mode === 'batched' ? summarize(r.batchCycles, nsPerCycle) : null,
    batches: r.batchCycles.length,
    meanOutstanding: active > 0 ? r.occupancyCycles / active : 0,
    engineSteps,
    deviceStats: stats,
    driver: r,
  };
}
