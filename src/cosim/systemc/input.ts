// The SystemC model's input: one key=value text with the resolved memory system (the same target and
// preset files the TypeScript model reads, flattened; no figure is duplicated in C++) and the workload.
// sim/systemc/model/common.cpp parses it; keys are dotted paths into the resolved presets.
import { SimError, showValue } from '../../core/index.ts';
import { CXL_BASE_BYTES, type GatherMerge, type ResolvedMemorySystem } from '../../memory/index.ts';

/** Batches of row ids through the gather engine (one Engram layer's lookups per batch, a barrier each). */
export interface SystemcRowWorkload {
  readonly kind: 'rows';
  readonly rowBytes: number;
  readonly batches: readonly Uint32Array[];
  /** Batches the 'static' HBM cache policy profiles; ignored otherwise. */
  readonly profile?: readonly Uint32Array[];
}

/** A token stream through the RTL hash/gather unit, batches of `batchTokens` tokens with a barrier each. */
export interface SystemcTokenWorkload {
  readonly kind: 'tokens';
  readonly rowBytes: number;
  readonly ids: Uint32Array;
  readonly first: Uint8Array;
  readonly batchTokens: number;
  /** Byte address of row 0 of the layer's table as the unit computes it (its TABLE_BASE register). */
  readonly tableBaseBytes: number;
  /** Register writes [address, value] that configure the unit (src/cosim/registerMap.ts configWrites). */
  readonly cfgWrites: readonly (readonly [number, number])[];
  /** The unit's clock period in ps. */
  readonly clockPs: number;
  /** Vectors returned in full (all are folded into the digest). */
  readonly dumpVectors: number;
}

export type SystemcWorkload = SystemcRowWorkload | SystemcTokenWorkload;

export interface SystemcRunOptions {
  readonly mergeDuplicates: GatherMerge;
  readonly prefetchNs: number;
}

/** Keys never passed to C++: prose and provenance (they may hold '#' or newlines), and unused sub-presets. */
const SKIP = new Set(['description', 'provenance', 'standard', 'standaloneMemory']);

/** Appends `prefix.key=value` lines for every number, string and string list under `value`. */
function flatten(lines: string[], prefix: string, value: unknown, where: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SimError(`systemcInput: ${where}: expected a finite number, got ${showValue(value)}`);
    lines.push(`${prefix}=${value}`);
  } else if (typeof value === 'string') {
    if (/[\n#=]/.test(value)) throw new SimError(`systemcInput: ${where}: expected a value without newline, '#' or '=', got ${showValue(value)}`);
    lines.push(`${prefix}=${value}`);
  } else if (typeof value === 'boolean') {
    lines.push(`${prefix}=${value ? 1 : 0}`);
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) flatten(lines, prefix, value.join(','), where);
    else throw new SimError(`systemcInput: ${where}: expected a list of strings, got ${showValue(value)}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!SKIP.has(k)) flatten(lines, `${prefix}.${k}`, v, `${where}.${k}`);
  }
}

function rowList(rows: Uint32Array): string {
  return Array.prototype.join.call(rows, ',');
}

/** The input text of one SystemC run. Throws a SimError naming the field for what the SystemC model does not cover. */
export function systemcInput(system: ResolvedMemorySystem, workload: SystemcWorkload, options: SystemcRunOptions): string {
  if (system.transfer !== 'zero-copy') throw new SimError(`systemcInput: system.transfer: the SystemC model covers zero-copy reads only, got ${showValue(system.transfer)}`);
  const { rowBytes } = workload;
  if (!Number.isInteger(rowBytes) || rowBytes < 1) throw new SimError(`systemcInput: workload.rowBytes: expected a positive integer, got ${showValue(rowBytes)}`);
  if (!(options.prefetchNs >= 0) || !Number.isFinite(options.prefetchNs)) throw new SimError(`systemcInput: options.prefetchNs: expected a finite number >= 0, got ${showValue(options.prefetchNs)}`);
  const lines: string[] = [
    `# engram-codesign SystemC model input: ${system.name}`,
    `mode=${workload.kind}`,
    `system=${system.name}`,
    `transfer=${system.transfer}`,
    `rowBytes=${rowBytes}`,
    `mergeDuplicates=${options.mergeDuplicates}`,
    `prefetchPs=${Math.round(options.prefetchNs * 1000)}`,
    `cxlBaseBytes=${CXL_BASE_BYTES}`,
    `hbm.bandwidthGBps=${system.hbm.bandwidthGBps}`,
    `hbm.hitLatencyPs=${system.hbm.hitLatencyPs}`,
  ];
  if (system.hbmCache !== null) {
    lines.push(`hbmCache.policy=${system.hbmCache.policy}`, `hbmCache.capacityBytes=${system.hbmCache.capacityBytes}`, `hbmCache.capacityRows=${Math.floor(system.hbmCache.capacityBytes / rowBytes)}`);
  }
  lines.push(`tiers=${system.tiers.map((t) => t.kind).join(',')}`);
  for (const [i, t] of system.tiers.entries()) {
    if (t.kind === 'nvme' && !t.gds) throw new SimError(`systemcInput: system.tiers[${i}].gds: the SystemC model reads NVMe with GPUDirect Storage only (no host page cache), got false`);
    if (t.kind === 'nvme' && workload.kind === 'tokens') throw new SimError(`systemcInput: system.tiers[${i}]: the token workload (the RTL unit) reads host-dram and cxl tiers, got nvme`);
    lines.push(`tier.${i}.name=${t.name}`);
    if (t.capacityBytes !== null) lines.push(`tier.${i}.capacityRows=${Math.floor(t.capacityBytes / rowBytes)}`);
    if (t.kind === 'cxl') flatten(lines, 'cxl', t.preset, `system.tiers[${i}].preset`);
    if (t.kind === 'nvme') {
      lines.push(`tier.${i}.gds=1`);
      flatten(lines, 'nvme', t.preset, `system.tiers[${i}].preset`);
    }
  }
  flatten(lines, 'hostDram', system.hostDram, 'system.hostDram');
  flatten(lines, 'pcie', system.pcie, 'system.pcie');
  if (workload.kind === 'rows') {
    lines.push(`batch.count=${workload.batches.length}`);
    workload.batches.forEach((b, i) => lines.push(`batch.${i}=${rowList(b)}`));
    const profile = workload.profile ?? [];
    lines.push(`profile.count=${profile.length}`);
    profile.forEach((b, i) => lines.push(`profile.${i}=${rowList(b)}`));
  } else {
    if (workload.ids.length !== workload.first.length) throw new SimError(`systemcInput: workload.first: expected one flag per id (${workload.ids.length}), got ${workload.first.length}`);
    if (!Number.isSafeInteger(workload.tableBaseBytes) || workload.tableBaseBytes < 0) throw new SimError(`systemcInput: workload.tableBaseBytes: expected a non-negative integer, got ${showValue(workload.tableBaseBytes)}`);
    lines.push(
      `tokens.ids=${rowList(workload.ids)}`,
      `tokens.first=${Array.prototype.join.call(workload.first, ',')}`,
      `tokens.batchTokens=${workload.batchTokens}`,
      `table.baseBytes=${workload.tableBaseBytes}`,
      `rtl.clockPs=${workload.clockPs}`,
      `rtl.cfgWrites=${workload.cfgWrites.map(([a, v]) => `${a},${v >>> 0}`).join(',')}`,
      `dumpVectors=${workload.dumpVectors}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
