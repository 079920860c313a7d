// The per-point work of a sweep without its database: plan SPEC as `engram-dse sweep` does, then enumerate,
// evaluate and encode every point in this thread, and print {points, pointsPerS} as JSON. The dse-sweep bench
// runs one of these alone and two side by side: what two cores give this work, the ceiling for the sweep's
// own scaling from 1 to 2 workers. Usage: node --import=tsx scripts/bench/evaluateOnly.ts SPEC (in SPEC's folder).
import { createIndexEvaluator, findEvaluator, planSweep } from '../../src/dse/index.ts';
import { loadCosts, loadEvaluatorContext, loadSweepSpec } from '../../src/cli/workers/sweepInputs.ts';

const specFile = process.argv[2];
if (specFile === undefined) throw new Error('usage: evaluateOnly.ts SPEC');
const cwd = process.cwd();
const spec = loadSweepSpec(specFile, cwd);
const context = loadEvaluatorContext(loadCosts(undefined, cwd).costs, cwd);
const plan = planSweep(spec, specFile, findEvaluator(spec.evaluator, specFile), context);
const evaluate = createIndexEvaluator(plan, context);
const count = plan.source.count;
// The first tenth warms the JIT up (a sweep's rate is also counted after its start-up).
const warm = Math.floor(count / 10);
let bytes = 0;
for (let i = 0; i < warm; i++) bytes += evaluate(i).result.length;
const start = performance.now();
for (let i = warm; i < count; i++) bytes += evaluate(i).result.length;
const seconds = (performance.now() - start) / 1e3;
console.log(JSON.stringify({ points: count - warm, pointsPerS: (count - warm) / seconds, resultBytes: bytes }));
