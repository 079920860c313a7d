// Explicit list of the CLI's commands (no registration by side effect).
import type { Command } from 'commander';
import type { CliIo } from '../context.ts';
import { register as registerTokenizer } from './tokenizer.ts';
import { register as registerHash } from './hash.ts';
import { register as registerTrace } from './trace.ts';
import { register as registerForward } from './forward.ts';
import { register as registerFp8 } from './fp8.ts';
import { register as registerMemsim } from './memsim.ts';
import { register as registerGemm } from './gemm.ts';
import { register as registerHierarchy } from './hierarchy.ts';
import { register as registerSweep } from './sweep.ts';
import { register as registerMerge } from './merge.ts';
import { register as registerPareto } from './pareto.ts';
import { register as registerCosim } from './cosim.ts';
import { register as registerRtl } from './rtl.ts';
import { register as registerProject } from './project.ts';
import { register as registerReport } from './report.ts';
import { register as registerSystemc } from './systemc.ts';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export const commands: RegisterCommand[] = [registerTokenizer, registerHash, registerTrace, registerForward, registerFp8, registerMemsim, registerHierarchy, registerGemm, registerSweep, registerMerge, registerPareto, registerCosim, registerRtl, registerProject, registerReport, registerSystemc];
