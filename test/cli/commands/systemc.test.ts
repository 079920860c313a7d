import test, { type ExecutionContext } from 'ava';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { toolTest as gated } from '../../systemc/tools.ts';

const toolTest = (title: string, body: (t: ExecutionContext) => Promise<void>): void => gated(['native'], title, body);

interface RowJson {
  target: string; config: string; backend: string; deviationPct: number; requestCountsMatch: boolean;
  systemc: { gatherNs: { mean: number }; tiers: { name: string; fetches: number }[]; wallSeconds: number };
  typescript: { gatherNs: { mean: number }; tiers: { name: string; fetches: number }[] };
}

toolTest('systemc: --json carries both models\' figures and deviationPct for the paper placement', async (t) => {
  const r = await runCaptured(['systemc', '--backend', 'native', '--tokens', '1024', '--json']);
  t.is(r.code, 0, r.err);
  const j = JSON.parse(r.out) as RowJson;
  t.like(j, { target: 'h800-sxm', config: 'offload-100b', backend: 'native', requestCountsMatch: true });
  t.true(Math.abs(j.deviationPct) < 5, String(j.deviationPct));
  t.true(j.systemc.gatherNs.mean > 0 && j.typescript.gatherNs.mean > 0);
  t.deepEqual(j.systemc.tiers.map((x) => x.fetches), j.typescript.tiers.map((x) => x.fetches));
});

toolTest('systemc: the text report puts SystemC and TypeScript side by side for a CXL split', async (t) => {
  const r = await runCaptured(['systemc', '--backend', 'native', '--tokens', '512', '--tiers', 'host-dram:8000000000,cxl']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /^systemc: h800-sxm, tiers ddr5-4800-rdimm64-8ch, cxl2-x16-asic;/);
  t.regex(r.out, /batch gather, SystemC: {4}mean [\d.]+ ns/);
  t.regex(r.out, /deviation: mean [+-]\d+\.\d\d%.*request counts per tier identical/);
});

toolTest('systemc: --rtl streams tokens through the Verilated unit and checks its vectors', async (t) => {
  const r = await runCaptured(['systemc', '--backend', 'native', '--rtl', '--config', 'demo', '--tokens', '600', '--json']);
  t.is(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { produced: number; digestMatch: boolean; firstMismatch: string | null; requestCountsMatch: boolean; clockMHz: number };
  t.like(j, { produced: 600, digestMatch: true, firstMismatch: null, requestCountsMatch: true, clockMHz: 300 });
});

for (const [args, message] of [
  [['--tiers', 'host-dram:1000,nvme'], /^engram-dse: --tiers: an nvme tier needs --gds \(the SystemC model reads NVMe with GPUDirect Storage only, no host page cache\)\n$/],
  [['--backend', 'fpga'], /^engram-dse: --backend: expected wasm, native or auto, got "fpga"\n$/],
  [['--target', 'tpu-v5e'], /^engram-dse: --target: expected a GPU target .* got "tpu-v5e" of kind "systolic"\n$/],
  [['--tokens', '0'], /^engram-dse: --tokens: /],
] as const) {
  test(`systemc: ${args.join(' ')} is one line naming the option, exit 2`, async (t) => {
    const r = await runCaptured(['systemc', ...args]);
    t.is(r.code, 2);
    t.regex(r.err, message);
  });
}
