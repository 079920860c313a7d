// Schema of a hardware target (targets/*.json): GPU tensor cores, a systolic-array chip or an FPGA DSP
// array, each number set with its provenance (style.md convention 3); resolved values per facts.md §D.
import { z } from 'zod';
import { parseDocument } from './parse.ts';
import { gradedProvenanceSchema } from './provenance.ts';

/** Operand formats a cost model can be asked about; outputs are BF16 (DeepSeek-V3 §3.3.1, DeepGEMM). */
export const COMPUTE_DTYPES = ['fp8', 'bf16'] as const;
export type ComputeDtype = (typeof COMPUTE_DTYPES)[number];

export const TARGET_KINDS = ['gpu', 'systolic', 'fpga'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const DATAFLOWS = ['ws', 'os'] as const;
/** Weight-stationary or output-stationary mapping of a GEMM onto a systolic array. */
export type Dataflow = (typeof DATAFLOWS)[number];

/**
 * How consecutive folds on one array meet (src/gemm/systolicCycles.ts has the formulas):
 * 'serial' finishes each fold (load or drain of the stationary operand included) before the next starts,
 * as SCALE-Sim does; 'pipelined' double-buffers the stationary operand so the next fold streams in behind.
 */
export const FOLD_OVERLAPS = ['serial', 'pipelined'] as const;
export type FoldOverlap = (typeof FOLD_OVERLAPS)[number];

export { CONFIDENCES } from './provenance.ts';

const provenanceSchema = gradedProvenanceSchema;

const posInt = z.number().int().positive();
const posNumber = z.number().positive();
const name = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes');
/** One number per compute dtype, e.g. MACs per PE per cycle. */
const perDtype = (schema: z.ZodNumber) => z.strictObject({ fp8: schema, bf16: schema });

const header = {
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  name,
  description: z.string().min(1),
};

/** Host side of a card: kept with the target for the projection models; the GEMM models ignore it. */
const hostSchema = z.strictObject({
  pcie: z.strictObject({
    generation: z.number().int().min(1).max(7),
    lanes: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16)]),
    perDirectionRawGBps: posNumber,
    provenance: provenanceSchema,
  }),
  /** A measured host-to-device copy rate, where one is known. */
  pcieMeasured: z.strictObject({ pinnedHostToDeviceGBps: posNumber, provenance: provenanceSchema }).optional(),
  /** Host DRAM; `preset` names a file in targets/memory. */
  dram: z.strictObject({ preset: name, channels: posInt, channelGBps: posNumber, provenance: provenanceSchema }).optional(),
});

const hbmSchema = z.strictObject({ hbmCapacityBytes: posInt, hbmBandwidthGBps: posNumber, provenance: provenanceSchema });
const fraction = z.number().positive().max(1);
const nonNegNumber = z.number().min(0);

/**
 * Serving calibration of a device for the projection (src/project): what its memory allocator sees, the
 * fractions of peak its kernels reach, the named per-step overheads of the engine, and the host side of the
 * Engram path. Optional: the GEMM models ignore it; the projection refuses a target without it.
 */
const servingSchema = z.strictObject({
  /** The engine whose scheduling and per-step structure the overheads describe. */
  engine: z.literal('nano-vllm'),
  /** The one backbone (targets/backbones) whose measured row the fitted overheads were solved on; others are predictions. */
  calibratedOn: name,
  /**
   * Set when nothing was measured on this target: the fitted overheads are this other target's (fitted there on
   * `calibratedOn`), carried over as assumptions, and every row here is a prediction.
   */
  carriedOverFrom: name.optional(),
  memory: z.strictObject({
    /** Total device memory as the allocator reports it (torch.cuda.mem_get_info), which sizes the KV cache. */
    visibleBytes: posInt,
    /** Memory in use before weights: CUDA context, library workspaces. */
    runtimeReservedBytes: z.number().int().min(0),
    provenance: provenanceSchema,
  }),
  efficiency: z.strictObject({
    /** Sustained tensor-core rate of large dense GEMMs as a fraction of the dense peak. */
    tensorCoreFractionOfPeak: fraction,
    /** Achieved HBM bandwidth of streaming kernels (weights, norms, sampler) as a fraction of peak. */
    hbmStreamFractionOfPeak: fraction,
    /** Prefill (causal, varlen) attention rate as a fraction of the BF16 dense peak. */
    prefillAttentionFractionOfPeak: fraction,
    /** Decode (paged KV) attention read rate as a fraction of peak HBM bandwidth. */
    decodeAttentionFractionOfHbm: fraction,
    provenance: provenanceSchema,
  }),
  overheads: z.strictObject({
    /** Per step, host: input tensors to the device, CUDA-graph replay or eager launch, sampler launch. */
    stepLaunchNs: nonNegNumber,
    /** Per step: the device-to-host copy of sampled tokens that ends each step (.tolist()). */
    syncNs: nonNegNumber,
    /** Per scheduled sequence, host: scheduling, input preparation and post-processing in Python. */
    schedulerNsPerSeq: nonNegNumber,
    /** Per prefill token, host: building token, position and slot lists and their tensors. */
    prefillNsPerToken: nonNegNumber,
    /** Per kernel of an eager (uncaptured) forward pass: the CPU cost of one launch from Python. */
    eagerLaunchNsPerKernel: nonNegNumber,
    /** HBM bytes the sampler moves per logit (logits written once, read by the sampling kernels). */
    samplerBytesPerLogit: posNumber,
    provenance: provenanceSchema,
  }),
  engram: z.strictObject({
    /** Head indices per second the host computes (multiply-XOR n-gram hash, modulo a prime per head). */
    hostHashHeadIndicesPerS: posNumber,
    /** Per step with an Engram layer: waiting on the prefetch stream's event and handing over the staging buffer. */
    syncNs: nonNegNumber,
    /**
     * An on-device hash/gather unit (rtl/engram_hash_gather.sv) instead of the host hash: `ports` row requests
     * per cycle at `clockMHz`, so min(1, ports / heads) tokens per cycle (rtl/README.md). Absent: the host hashes.
     */
    hashUnit: z.strictObject({ ports: posInt, clockMHz: posNumber, provenance: provenanceSchema }).optional(),
    /** How rows in host memory reach the device: host gather into pinned memory plus one DMA, or device reads. Default staging. */
    transfer: z.enum(['staging', 'zero-copy']).optional(),
    provenance: provenanceSchema,
  }),
});


/** Clock of an array design; the cycle counts of src/gemm are in these cycles. */
const clockSchema = z.strictObject({ clockMHz: posNumber, provenance: provenanceSchema });

/** Dataflows an array supports (the first is the default) and how its folds overlap. */
const dataflowSchema = z.strictObject({
  supported: z.array(z.enum(DATAFLOWS)).min(1),
  foldOverlap: z.enum(FOLD_OVERLAPS),
  provenance: provenanceSchema,
});

const gpuSchema = z
  .strictObject({
    ...header,
    kind: z.literal('gpu'),
    compute: z.strictObject({
      smCount: posInt,
      clockMHz: posNumber,
      /** Dense (no 2:4 sparsity) tensor-core peaks. */
      peakFp8Tflops: posNumber,
      peakBf16Tflops: posNumber,
      provenance: provenanceSchema,
    }),
    memory: hbmSchema.extend({ l2Bytes: posInt }),
    /** Output-tile (CTA block) shapes a kernel may pick from; K is padded to `blockK`. */
    tiling: z.strictObject({
      blockMCandidates: z.array(posInt).min(1),
      blockNCandidates: z.array(posInt).min(1),
      blockK: posInt,
      provenance: provenanceSchema,
    }),
    host: hostSchema,
    serving: servingSchema.optional(),
  })
  .transform((doc) => ({
    ...doc,
    derived: {
      peakTflops: { fp8: doc.compute.peakFp8Tflops, bf16: doc.compute.peakBf16Tflops },
    },
  }));

/** Published peaks are rounded to three digits; a larger gap means a wrong clock or array size. */
const DATASHEET_PEAK_TOLERANCE = 0.01;

const systolicSchema = z
  .strictObject({
    ...header,
    kind: z.literal('systolic'),
    /** `count` identical arrays of `rows` x `cols` PEs fed from one on-chip memory. */
    array: z.strictObject({ rows: posInt, cols: posInt, count: posInt, provenance: provenanceSchema }),
    clock: clockSchema,
    dataflow: dataflowSchema,
    /** MACs per PE per cycle by operand format (1 = one MAC; a format without native support runs at the wider rate). */
    numerics: z.strictObject({ macsPerPePerCycle: perDtype(posInt), provenance: provenanceSchema }),
    /** The vendor's peak, checked against rows x cols x count x MACs x 2 x clock. */
    datasheet: z.strictObject({ peakBf16Tflops: posNumber, provenance: provenanceSchema }),
    memory: hbmSchema,
    /** Software-managed on-chip memory that GEMM blocks are staged in (TPU VMEM). */
    onChip: z.strictObject({ sramBytes: posInt, provenance: provenanceSchema }),
    host: hostSchema.optional(),
    serving: servingSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    const computed = (doc.array.rows * doc.array.cols * doc.array.count * doc.numerics.macsPerPePerCycle.bf16 * 2 * doc.clock.clockMHz) / 1e6;
    if (Math.abs(computed - doc.datasheet.peakBf16Tflops) > DATASHEET_PEAK_TOLERANCE * doc.datasheet.peakBf16Tflops) {
      ctx.addIssue({
        code: 'custom',
        path: ['datasheet', 'peakBf16Tflops'],
        message: `expected within ${DATASHEET_PEAK_TOLERANCE * 100}% of rows x cols x count x bf16 MACs x 2 x clockMHz = ${computed.toPrecision(4)} TFLOPS`,
        input: doc.datasheet.peakBf16Tflops,
      });
    }
    checkDistinctDataflows(doc.dataflow.supported, ctx);
  })
  .transform((doc) => {
    const macsPerCycle = {
      fp8: doc.array.rows * doc.array.cols * doc.array.count * doc.numerics.macsPerPePerCycle.fp8,
      bf16: doc.array.rows * doc.array.cols * doc.array.count * doc.numerics.macsPerPePerCycle.bf16,
    };
    return {
      ...doc,
      derived: {
        macsPerCycle,
        peakTflops: { fp8: tflops(macsPerCycle.fp8, doc.clock.clockMHz), bf16: tflops(macsPerCycle.bf16, doc.clock.clockMHz) },
        bufferBytes: doc.onChip.sramBytes,
      },
    };
  });

const fpgaSchema = z
  .strictObject({
    ...header,
    kind: z.literal('fpga'),
    device: z.strictObject({ dspCount: posInt, bramBytes: posInt, uramBytes: posInt, provenance: provenanceSchema }),
    /** The DSP grid a design instantiates: one DSP per PE. */
    array: z.strictObject({ rows: posInt, cols: posInt, provenance: provenanceSchema }),
    clock: clockSchema,
    dataflow: dataflowSchema,
    /** Multiplies packed into one DSP per cycle, sharing one operand (they widen the array's columns). */
    numerics: z.strictObject({ macsPerDspPerCycle: perDtype(posInt), provenance: provenanceSchema }),
    memory: hbmSchema,
    host: hostSchema.optional(),
    serving: servingSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    const dsps = doc.array.rows * doc.array.cols;
    if (dsps > doc.device.dspCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['array', 'cols'],
        message: `expected at most ${Math.floor(doc.device.dspCount / doc.array.rows)} columns of ${doc.array.rows} rows (one DSP per PE, device.dspCount = ${doc.device.dspCount})`,
        input: doc.array.cols,
      });
    }
    checkDistinctDataflows(doc.dataflow.supported, ctx);
  })
  .transform((doc) => {
    const arrayCols = { fp8: doc.array.cols * doc.numerics.macsPerDspPerCycle.fp8, bf16: doc.array.cols * doc.numerics.macsPerDspPerCycle.bf16 };
    const macsPerCycle = { fp8: doc.array.rows * arrayCols.fp8, bf16: doc.array.rows * arrayCols.bf16 };
    return {
      ...doc,
      derived: {
        dspsUsed: doc.array.rows * doc.array.cols,
        arrayCols,
        macsPerCycle,
        peakTflops: { fp8: tflops(macsPerCycle.fp8, doc.clock.clockMHz), bf16: tflops(macsPerCycle.bf16, doc.clock.clockMHz) },
        bufferBytes: doc.device.bramBytes + doc.device.uramBytes,
      },
    };
  });

function tflops(macsPerCycle: number, clockMHz: number): number {
  return (macsPerCycle * 2 * clockMHz) / 1e6;
}

function checkDistinctDataflows(dataflows: readonly Dataflow[], ctx: z.RefinementCtx): void {
  if (new Set(dataflows).size !== dataflows.length) {
    ctx.addIssue({ code: 'custom', path: ['dataflow', 'supported'], message: 'expected distinct dataflows', input: dataflows });
  }
}

export const targetSchema = z.discriminatedUnion('kind', [gpuSchema, systolicSchema, fpgaSchema]);

/** A parsed, resolved and frozen target: the document plus `derived` values the cost models read. */
export type ResolvedTarget = z.output<typeof targetSchema>;
export type ResolvedGpuTarget = Extract<ResolvedTarget, { kind: 'gpu' }>;
export type ResolvedSystolicTarget = Extract<ResolvedTarget, { kind: 'systolic' }>;
export type ResolvedFpgaTarget = Extract<ResolvedTarget, { kind: 'fpga' }>;
export type TargetDocument = z.input<typeof targetSchema>;
/** The serving calibration of a target (absent on targets nobody calibrated). */
export type ServingCalibration = z.output<typeof servingSchema>;

/** Parses, validates and resolves a target document; `file` names it in errors. Returns a deep-frozen value. */
export function resolveTarget(data: unknown, file: string): ResolvedTarget {
  return parseDocument(targetSchema, data, file);
}
