import test from 'ava';
import Database from 'better-sqlite3';
import path from 'node:path';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { rowsOf, SMALL_GEMM_SPEC, tempSweepDir } from './sweepHelpers.ts';

async function shardedRun(dir: string, shards: number): Promise<string[]> {
  const files: string[] = [];
  for (let k = 1; k <= shards; k++) {
    const r = await runCaptured(['sweep', 'spec.json', '--db', `s${k}.db`, '--shard', `${k}/${shards}`, '--workers', '0'], { cwd: dir });
    if (r.code !== 0) throw new Error(r.err);
    files.push(`s${k}.db`);
  }
  return files;
}

test('merge: the shards of a sweep merge into the same rows as one uninterrupted run', async (t) => {
  const dir = tempSweepDir(t);
  t.is((await runCaptured(['sweep', 'spec.json', '--db', 'whole.db', '--workers', '0'], { cwd: dir })).code, 0);
  const shards = await shardedRun(dir, 3);
  const r = await runCaptured(['merge', 'merged.db', ...shards], { cwd: dir });
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
  t.deepEqual(rowsOf(path.join(dir, 'merged.db')), rowsOf(path.join(dir, 'whole.db')));
});

test('merge: merging a shard again adds nothing and reports equal results when the rows agree', async (t) => {
  const dir = tempSweepDir(t);
  const shards = await shardedRun(dir, 2);
  await runCaptured(['merge', 'merged.db', ...shards], { cwd: dir });
  const r = await runCaptured(['merge', 'merged.db', shards[0]!, '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  t.like(JSON.parse(r.out), { before: 24, after: 24, inputs: [{ rows: 12, added: 0, identical: 12 }], shards: ['1/2', '2/2'], everyShard: true });
});

test('merge: refuses conflicting results for the same point, naming its key, and adds nothing from that input', async (t) => {
  const dir = tempSweepDir(t);
  const shards = await shardedRun(dir, 2);
  await runCaptured(['sweep', 'spec.json', '--db', 'whole.db', '--workers', '0'], { cwd: dir });
  const db = new Database(path.join(dir, shards[1]!));
  const key = (db.prepare('SELECT key FROM points ORDER BY idx LIMIT 1').get() as { key: string }).key;
  db.prepare("UPDATE points SET result = '{\"timeNs\":1}' WHERE key = ?").run(key);
  db.close();
  await runCaptured(['merge', 'merged.db', 'whole.db'], { cwd: dir });
  const r = await runCaptured(['merge', 'merged.db', shards[1]!], { cwd: dir });
  t.is(r.code, 2);
  t.true(r.err.includes(key), r.err);
  t.snapshot(r.err.replace(key, '<key>'));
  t.is(rowsOf(path.join(dir, 'merged.db')).length, 24);
});

test('merge: refuses databases of different sweeps, naming the field that differs', async (t) => {
  const a = tempSweepDir(t);
  const b = tempSweepDir(t, { ...SMALL_GEMM_SPEC, constraints: ['utilisationPct >= 2'] });
  await runCaptured(['sweep', 'spec.json', '--db', path.join(a, 'a.db'), '--workers', '0'], { cwd: a });
  await runCaptured(['sweep', 'spec.json', '--db', path.join(a, 'b.db'), '--workers', '0'], { cwd: b });
  const r = await runCaptured(['merge', 'out.db', 'a.db', 'b.db'], { cwd: a });
  t.is(r.code, 2);
  t.regex(r.err, /^engram-dse: merge: b\.db is not the same sweep as a\.db: specSha256 "[0-9a-f]{64}" against "[0-9a-f]{64}"; expected databases of one spec, evaluator version and inputs\n$/);
});

test('merge: names a missing input and refuses OUT among the inputs', async (t) => {
  const dir = tempSweepDir(t);
  const missing = await runCaptured(['merge', 'out.db', 'nope.db'], { cwd: dir });
  t.is(missing.code, 2);
  t.snapshot(missing.err);
  const self = await runCaptured(['merge', 'out.db', 'out.db'], { cwd: dir });
  t.is(self.code, 2);
  t.snapshot(self.err);
});
