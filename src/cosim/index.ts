// Public surface of cosim/: the Verilog hash/gather unit (rtl/) as a co-simulation model driven from
// TypeScript (WebAssembly by default, a spawned native harness as the fallback), its cycle model, and the
// bit-exact and cycle-exact checks. Consumers: test/cosim, test/rtl and the cosim/rtl CLI commands.
export { DEFAULT_UNIT_PARAMS, unitHeads, type UnitParams, type LayerTableConfig, type EnvConfig, type TokenStream, type DutRun } from './types.ts';
export { triple32, HarnessRng, rowWord, coinThreshold } from './harnessEnv.ts';
export { REG, HEAD_FIELD, REGISTER_MAP_ID, barrettMu, barrettReduce, configWrites, expectedParamRegisters } from './registerMap.ts';
export { randomTokenStream, sliceStream, streamSequences } from './stimulus.ts';
export { CycleModel, HASH_STAGES, singleTokenLatencyCycles, type CycleModelRun } from './cycleModel.ts';
export { paramsFromWords, type HashGatherDut, type DutBackend } from './dut.ts';
export { WasmDut, stepLayout, type HashGatherModule, type HashGatherFactory, type StepLayout } from './wasmDut.ts';
export { NativeDut } from './nativeDut.ts';
export { runPerCycle } from './perCycle.ts';
export { openDut, buildModel, loadWasmDut, missingTools, availableBackend, type BuildTarget, type OpenDutOptions } from './loadArtifacts.ts';
export { checkVectors, checkRequestAddresses, checkCycles, describeMismatch, RowAddresses, type Mismatch, type MismatchField } from './check.ts';
export { CosimSession, type ChunkResult, type SessionOptions } from './session.ts';
export { fullRateTokensPerCycle, peakLookupsPerSecond } from './throughput.ts';
export { parseYosysStat, xilinxResources, genericGates, ice40Result, type XilinxResources, type GenericGates, type Ice40Result } from './synthReport.ts';
export { systemcInput, type SystemcWorkload, type SystemcRowWorkload, type SystemcTokenWorkload, type SystemcRunOptions } from './systemc/input.ts';
export { parseSystemcResult, systemcResultSchema, type SystemcResult, type SystemcRowResult, type SystemcTokenResult } from './systemc/result.ts';
export { buildSystemc, buildSystemcTarget, runSystemc, missingSystemcTools, type SystemcBackend } from './systemc/loadSystemc.ts';
export { compareWithTypescript, runTypescriptModel, type SystemcComparison, type ModelFigures } from './systemc/compare.ts';
export { vectorDigest, checkDumpedVectors } from './systemc/tokenCheck.ts';
