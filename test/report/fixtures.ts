// Loads the project results in test/report/fixtures/ (see its README) through the report's schema.
import { readFileSync } from 'node:fs';
import { parseProjectResult, type ProjectResult } from '../../src/report/index.ts';

export const FIXTURES = ['table4.json', 'sweep-table-size.json', 'sweep-link-bandwidth.json'] as const;

export function loadFixture(name: (typeof FIXTURES)[number]): ProjectResult {
  const file = new URL(`fixtures/${name}`, import.meta.url);
  return parseProjectResult(JSON.parse(readFileSync(file, 'utf8')), `test/report/fixtures/${name}`);
}

export function loadFixtures(): ProjectResult[] {
  return FIXTURES.map(loadFixture);
}
