// Reference token ids: Hugging Face's BERT tokenizer built from a WordPiece vocab.txt, configured as
// all-MiniLM-L6-v2's tokenizer.json (and the Python BertWordPieceTokenizer) are.
// Usage: node tokenize.mjs <vocab.txt> <corpus.jsonl> [--no-lowercase]
// The corpus holds one JSON string per line (so line breaks and control characters survive); the output
// is one JSON array of ids per corpus line, in order.
// package.json pins tokenizers 0.13.3 and, for Linux x64, its native build: the registry has that build only as
// tokenizers-linux-x64-gnu 0.13.4-rc2 (0.13.3's loader takes it; without it the package does not load).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// tokenizers 0.13.3's loader is CommonJS.
const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer, bertProcessing } = createRequire(import.meta.url)('tokenizers');

const [vocabPath, corpusPath, ...flags] = process.argv.slice(2);
if (!vocabPath || !corpusPath) {
  console.error('usage: node tokenize.mjs <vocab.txt> <corpus.jsonl> [--no-lowercase]');
  process.exit(2);
}
const lowercase = !flags.includes('--no-lowercase');

const model = await WordPiece.fromFile(vocabPath, { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 });
const tokenizer = new Tokenizer(model);
// strip_accents is left unset in the reference configuration, so it follows lowercase.
tokenizer.setNormalizer(bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: lowercase, lowercase }));
tokenizer.setPreTokenizer(bertPreTokenizer());
const id = (token) => {
  const found = tokenizer.tokenToId(token);
  if (found === null || found === undefined) throw new Error(`the vocabulary has no ${token}`);
  return found;
};
tokenizer.setPostProcessor(bertProcessing(['[SEP]', id('[SEP]')], ['[CLS]', id('[CLS]')]));
// The special tokens are matched in the raw text before normalisation, as in the reference tokenizer.json.
tokenizer.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);

const lines = readFileSync(corpusPath, 'utf8').split('\n').filter((line) => line.trim() !== '');
for (const line of lines) {
  const encoding = await tokenizer.encode(JSON.parse(line));
  process.stdout.write(JSON.stringify(encoding.getIds()) + '\n');
}
