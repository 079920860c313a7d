import test from 'ava';
import { fp8Command, fp8Inputs, fp8Series, uniqueNames } from '../../src/report/index.ts';
import { smallFp8Table } from './fixtures.ts';

test('fp8Series: one point per K and accumulation model, the error as computed, on log axes', (t) => {
  const table = smallFp8Table();
  const s = fp8Series(table, uniqueNames());
  t.is(s.name, 'fp8-error-vs-k');
  t.deepEqual(s.columns, ['k', 'accumulation', 'maxRelError']);
  t.is(s.rows.length, 2 * table.columns.length);
  for (const r of table.rows) for (const c of table.columns) t.true(s.rows.some((x) => x[0] === r.k && x[1] === c.name && x[2] === r.maxRelError[c.name]), `${r.k} ${c.name}`);
  t.true(s.x!.log);
  t.true(s.y!.log);
  t.true(s.lines);
});

test('fp8Series: without promotion the 14-bit accumulator\'s error grows with K and exceeds promoted accumulation', (t) => {
  const s = fp8Series(smallFp8Table(), uniqueNames());
  const at = (k: number, model: string) => s.rows.find((r) => r[0] === k && r[1] === model)![2] as number;
  t.true(at(2048, 'hopper-no-promotion') > at(128, 'hopper-no-promotion'));
  t.true(at(2048, 'hopper-no-promotion') > at(2048, 'hopper-promote-128'));
  t.true(at(2048, 'exact-fp32') < at(2048, 'hopper-promote-128'));
});

test('fp8Inputs: states the shape, distribution, K values, seed and the command that recomputes the table', (t) => {
  const table = smallFp8Table();
  t.is(fp8Command(table), 'engram-dse fp8 accum-table --ks 128,2048 --m 4 --n 4 --seed 0 --distribution uniform01');
  t.regex(fp8Inputs(table), /^FP8 GEMM \(4 x K\) x \(K x 4\), E4M3 inputs drawn uniform01, .*; K in 128, 2048; seed 0; recompute with: engram-dse fp8 accum-table /);
});
