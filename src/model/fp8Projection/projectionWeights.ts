// The fused Engram projection's weight operand (arXiv 2601.07372 §2.4; engram-spec.md §5, §7): [W_V; W_K^(1); ...;
// W_K^(M)] as one [(M+1)·hidden x d_mem] matrix in torch's [out][in] layout, the B of DeepGEMM's D = A · Bᵀ.
import { ModelError, showValue } from '../../core/index.ts';
import type { EngramLayerParams } from '../forward/params.ts';

/**
 * Row blocks of the fused operand, in order: 'value' is W_V (shared), 'key<m>' is W_K^(m) (branch m).
 * Rows p·hidden .. (p+1)·hidden - 1 of `fused` belong to projection p.
 */
export interface FusedProjectionWeights {
  readonly dMem: number;
  readonly hidden: number;
  readonly hcMult: number;
  /** M + 1. */
  readonly projections: number;
  readonly names: readonly string[];
  /** Row-major [(M+1)·hidden][dMem]: row j holds output channel j's weights over the d_mem inputs. */
  readonly fused: Float32Array;
  /** [b_V; b_K^(1); ...; b_K^(M)], (M+1)·hidden values, in the same row order. */
  readonly bias: Float32Array;
}

/**
 * Transposes the forward's input-major weights (valueWeight [dMem][hidden], keyWeight [dMem][M·hidden],
 * branch m in column block m) into the fused [out][in] operand. Values are copied, never rounded.
 */
export function fusedProjectionWeights(params: EngramLayerParams): FusedProjectionWeights {
  const { hiddenSize: hidden, hcMult, engramHiddenSize: dMem } = params;
  if (params.valueWeight.length !== dMem * hidden || params.keyWeight.length !== dMem * hcMult * hidden) {
    throw new ModelError(
      `fusedProjectionWeights: params: expected valueWeight of ${dMem * hidden} and keyWeight of ${dMem * hcMult * hidden} values ` +
        `(engramHiddenSize ${dMem}, hiddenSize ${hidden}, hcMult ${hcMult}), got ${params.valueWeight.length} and ${params.keyWeight.length}`,
    );
  }
  const projections = hcMult + 1;
  const fused = new Float32Array(projections * hidden * dMem);
  const keyStride = hcMult * hidden;
  for (let d = 0; d < dMem; d++) {
    for (let j = 0; j < hidden; j++) fused[j * dMem + d] = params.valueWeight[d * hidden + j]!;
    for (let c = 0; c < keyStride; c++) fused[(hidden + c) * dMem + d] = params.keyWeight[d * keyStride + c]!;
  }
  const bias = new Float32Array(projections * hidden);
  bias.set(params.valueBias, 0);
  bias.set(params.keyBias, hidden);
  const names = ['value', ...Array.from({ length: hcMult }, (_, m) => `key${m}`)];
  return Object.freeze({ dMem, hidden, hcMult, projections, names: Object.freeze(names), fused, bias });
}

/** Projection p's rows of the fused operand, [hidden][dMem], as a view (no copy). */
export function projectionRows(weights: FusedProjectionWeights, p: number): Float32Array {
  if (!Number.isInteger(p) || p < 0 || p >= weights.projections) {
    throw new ModelError(`projectionRows: p: expected an integer in [0, ${weights.projections - 1}], got ${showValue(p)}`);
  }
  const size = weights.hidden * weights.dMem;
  return weights.fused.subarray(p * size, (p + 1) * size);
}

/**
 * Whether the fused operand's weight-scale row blocks (`blockRows` output channels each) line up with the
 * projection boundaries. Only then does every block of the fused matrix hold rows of one projection, so
 * that quantising the fused matrix gives the same codes and scales as quantising each projection alone.
 */
export interface WeightBlockAlignment {
  readonly aligned: boolean;
  readonly blockRows: number;
  /** Rows p·hidden (p = 1..M) that fall inside a fused block instead of on its edge. */
  readonly straddledBoundaries: readonly number[];
  /** hidden % blockRows: a separate projection's last block is this many rows high when non-zero. */
  readonly partialBlockRows: number;
}

export function weightBlockAlignment(hidden: number, projections: number, blockRows: number): WeightBlockAlignment {
  for (const [field, value] of [['hidden', hidden], ['projections', projections], ['blockRows', blockRows]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new ModelError(`weightBlockAlignment: ${field}: expected a positive integer, got ${showValue(value)}`);
  }
  const straddledBoundaries: number[] = [];
  for (let p = 1; p < projections; p++) if ((p * hidden) % blockRows !== 0) straddledBoundaries.push(p * hidden);
  const partialBlockRows = hidden % blockRows;
  return Object.freeze({ aligned: partialBlockRows === 0, blockRows, straddledBoundaries: Object.freeze(straddledBoundaries), partialBlockRows });
}
