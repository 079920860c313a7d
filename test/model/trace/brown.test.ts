import test from 'ava';
import { brownTaggedToText } from '../../../src/model/trace/brown.ts';

test('brown: drops tags, converts quote pairs and glues punctuation when detokenising', (t) => {
  const tagged = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, and/cc Atlanta's/np$ mayor/nn left/vbd ./.\n\n\n\tIt/pps didn't/dod* (/( see/vb )/) it/ppo ./.\n";
  t.is(brownTaggedToText(tagged), 'The jury said "no evidence", and Atlanta\'s mayor left.\n\nIt didn\'t (see) it.');
});
