// Closed-form throughput of the hash/gather unit: what the cycle model must reach at full memory rate,
// and the peak lookup rate on an FPGA target from the port count and a clock.
import { SimError, showValue } from '../core/index.ts';

/** Tokens per cycle at full memory rate: min(1, ports / heads), heads = (N-1)·H active head lookups per token. */
export function fullRateTokensPerCycle(ports: number, headsPerToken: number): number {
  if (!Number.isInteger(ports) || ports < 1) throw new SimError(`fullRateTokensPerCycle: ports: expected a positive integer, got ${showValue(ports)}`);
  if (!Number.isInteger(headsPerToken) || headsPerToken < 1) {
    throw new SimError(`fullRateTokensPerCycle: headsPerToken: expected a positive integer, got ${showValue(headsPerToken)}`);
  }
  return Math.min(1, ports / headsPerToken);
}

/** Peak row lookups per second: one lookup per port per cycle, capped by the hash stage's one token per cycle. */
export function peakLookupsPerSecond(ports: number, headsPerToken: number, clockMHz: number): number {
  if (!(clockMHz > 0)) throw new SimError(`peakLookupsPerSecond: clockMHz: expected a positive number, got ${showValue(clockMHz)}`);
  return fullRateTokensPerCycle(ports, headsPerToken) * headsPerToken * clockMHz * 1e6;
}
