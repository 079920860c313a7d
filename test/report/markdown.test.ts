import test from 'ava';
import { MARKDOWN_MAX_POINTS, renderReportMarkdown } from '../../src/report/index.ts';
import { allInputs, loadFixture, loadFixtures, syntheticSweep } from './fixtures.ts';

test('renderReportMarkdown: puts paper and ours side by side when given Table 4', (t) => {
  const md = renderReportMarkdown({ projects: [loadFixture('table4.json')] }, { version: '0.1.0' });
  t.regex(md, /^# Engram co-design report\n/);
  t.regex(md, /\| backbone \| baseline paper \| baseline ours \| \+Engram paper \| \+Engram ours \| penalty paper \| penalty ours \|/);
  t.regex(md, /\| dense-4b \| 9,031\.62 \| 9,031\.58 \| 8,858\.28 \| 8,858\.24 \| 1\.92% \| 1\.92% \|/);
  t.regex(md, /\| wall \| 31\.491 \| 32\.107 \| 43\.235 \| 44\.011 \|/);
});

test('renderReportMarkdown: heads each figure with its inputs, seed and CSV file when given every kind', (t) => {
  const md = renderReportMarkdown({ projects: loadFixtures() }, { version: '0.1.0' });
  const headings = [...md.matchAll(/^### (Figure \d+: .*)\n\nengram-codesign 0\.1\.0; .*; seed 0\. Data: `([a-z0-9-]+\.csv)`\.$/gm)].map((m) => [m[1], m[2]]);
  t.deepEqual(headings, [
    ['Figure 1: Serving throughput, paper (Table 4) against this projection', 'table4.csv'],
    ['Figure 2: Where the wall time goes, per configuration', 'breakdown.csv'],
    ['Figure 3: Engram fetch per step against the window that hides it, table in dram', 'fetch.csv'],
    ['Figure 4: Engram penalty against table size', 'sweep-table-size.csv'],
    ['Figure 5: Engram penalty against host link lanes (3.94 GB/s each at Gen5)', 'sweep-host-link-lanes.csv'],
  ]);
  t.regex(md, /\| 1 \| 9,031\.58 \| 8,806\.91 \| 2\.49% \|/);
});

test('renderReportMarkdown: gives byte-identical text when rendering the same results twice', (t) => {
  t.is(renderReportMarkdown({ projects: loadFixtures() }, { version: '0.1.0' }), renderReportMarkdown({ projects: loadFixtures() }, { version: '0.1.0' }));
});

test('renderReportMarkdown: lists each section\'s facts and every figure\'s numbers when given every input kind', (t) => {
  const md = renderReportMarkdown(allInputs(), { version: '0.1.0' });
  t.deepEqual([...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]), ['Serving projection', 'Design-space sweep synthetic', 'Memory hierarchy: h800-sxm', 'FP8 accumulation error', 'RTL cost']);
  t.is([...md.matchAll(/^### Figure \d+: /gm)].length, 15);
  t.regex(md, /^- points: 16 enumerated, 16 stored: 13 feasible, 2 infeasible, 1 rejected by the model$/m);
  t.regex(md, /^\| rank \| costUsd \| tokPerS \| lanes \| sizeBytes \| target \| tier \| key \| seed \|$/m);
  t.regex(md, /^\| sizeBytes \| tokPerS \| lanes, tier \|$/m);
  t.regex(md, /^\| h800-sxm HBM cache \| hbm \| 0\.2653 \| /m);
  t.regex(md, /^\| K \| hopper-no-promotion \| hopper-promote-128 \| exact-fp32 \| deepseek-v3 \|$/m);
  t.regex(md, /^\| 2048 \| \d\.\d\de-\d \| /m);
  t.regex(md, /^\| measure \| MAX_N 3, 8 heads\/order, 4 ports, depth 16, DATA_W 64 \|\n\| --- \| ---: \|\n\| UltraScale\+ LUT \| 64096 \|\n\| UltraScale\+ FF \| 31625 \|$/m);
  t.regex(md, /^\| iCE40 issue stage Fmax \(MHz\) \| 40\.08 \|$/m);
});

test('renderReportMarkdown: summarises a chart per group when it has more points than the Markdown shows', (t) => {
  const sweep = syntheticSweep();
  const copies = Math.ceil((MARKDOWN_MAX_POINTS + 1) / 13) + 1;
  const rows = Array.from({ length: copies }, (_, copy) => sweep.rows.map((r) => ({ ...r, key: `${copy}${r.key}`.slice(0, 64), idx: r.idx + copy * 100 }))).flat();
  const md = renderReportMarkdown({ sweeps: [{ ...sweep, rows }] }, { version: '0.1.0' });
  t.regex(md, new RegExp(`^${13 * copies} points, summarised per lanes, tier:$`, 'm'));
  t.regex(md, /^\| lanes, tier \| points \| lowest tokPerS \| highest tokPerS \|$/m);
  t.regex(md, new RegExp(`^\\| lanes=2, tier=slow \\| ${4 * copies} \\| 220 at sizeBytes=1e6 \\| 550 at sizeBytes=1000 \\|$`, 'm'));
});
