import test from 'ava';
import { renderReportMarkdown } from '../../src/report/index.ts';
import { loadFixture, loadFixtures } from './fixtures.ts';

test('renderReportMarkdown: puts paper and ours side by side when given Table 4', (t) => {
  const md = renderReportMarkdown([loadFixture('table4.json')], { version: '0.1.0' });
  t.regex(md, /^# Engram serving projection report\n/);
  t.regex(md, /\| backbone \| baseline paper \| baseline ours \| \+Engram paper \| \+Engram ours \| penalty paper \| penalty ours \|/);
  t.regex(md, /\| dense-4b \| 9,031\.62 \| 9,031\.58 \| 8,858\.28 \| 8,858\.24 \| 1\.92% \| 1\.92% \|/);
  t.regex(md, /\| wall \| 31\.491 \| 32\.107 \| 43\.235 \| 44\.011 \|/);
});

test('renderReportMarkdown: heads each figure with its inputs, seed and CSV file when given every kind', (t) => {
  const md = renderReportMarkdown(loadFixtures(), { version: '0.1.0' });
  const headings = [...md.matchAll(/^## (Figure \d+: .*)\n\nengram-codesign 0\.1\.0; .*; seed 0\. Data: `([a-z0-9-]+\.csv)`\.$/gm)].map((m) => [m[1], m[2]]);
  t.deepEqual(headings, [
    ['Figure 1: Serving throughput, paper (Table 4) against this projection', 'table4.csv'],
    ['Figure 2: Where the wall time goes, per configuration', 'breakdown.csv'],
    ['Figure 3: Engram penalty against table size', 'sweep-table-size.csv'],
    ['Figure 4: Engram penalty against host link lanes (3.94 GB/s each at Gen5)', 'sweep-host-link-lanes.csv'],
  ]);
  t.regex(md, /\| 1 \| 9,031\.58 \| 8,806\.91 \| 2\.49% \|/);
});

test('renderReportMarkdown: gives byte-identical text when rendering the same results twice', (t) => {
  t.is(renderReportMarkdown(loadFixtures(), { version: '0.1.0' }), renderReportMarkdown(loadFixtures(), { version: '0.1.0' }));
});
