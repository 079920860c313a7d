// Turns Brown Corpus form C (tagged "word/tag" tokens, Francis & Kucera 1979) back into running English text.
// Detokenisation: tags dropped, `` and '' become straight double quotes, no space before closing punctuation.

const NO_SPACE_BEFORE = /^(?:[.,;:!?)\]}%]|'s|'|n't|'re|'ve|'ll|'d|'m)$/i;
const NO_SPACE_AFTER = /^[([{$]$/;

/** One Brown file's tagged text -> plain paragraphs separated by blank lines. */
export function brownTaggedToText(tagged: string): string {
  const paragraphs: string[] = [];
  for (const block of tagged.split(/\n\s*\n/)) {
    const words: string[] = [];
    for (const item of block.split(/\s+/)) {
      if (item === '') continue;
      const slash = item.lastIndexOf('/');
      const word = slash > 0 ? item.slice(0, slash) : item;
      words.push(word === '``' || word === "''" ? '"' : word);
    }
    if (words.length === 0) continue;
    let text = '';
    let quoteOpen = false;
    let glueNext = true;
    for (const w of words) {
      let glue = glueNext || NO_SPACE_BEFORE.test(w);
      glueNext = NO_SPACE_AFTER.test(w);
      if (w === '"') {
        // Opening quotes attach to the next word, closing quotes to the previous one.
        if (quoteOpen) glue = true; else glueNext = true;
        quoteOpen = !quoteOpen;
      }
      text += (glue || text === '' ? '' : ' ') + w;
    }
    paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}
