// readability.mjs — the peer for chapar's extraction benchmark: @mozilla/readability on a
// linkedom DOM, as an extract_score.py "anchor": page paths on stdin (one per line), one JSON
// line {"file", "text"} (or {"file", "error"}) per page on stdout. Text is the article's
// textContent with whitespace runs collapsed per line, like chapar's --text output.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const file = line.trim();
  if (!file) continue;
  try {
    const html = readFileSync(file, 'utf8');
    const { document } = parseHTML(html);
    const article = new Readability(document).parse();
    const text = (article && article.textContent || '')
      .split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
    process.stdout.write(JSON.stringify({ file, text }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ file, error: String(e && e.message || e) }) + '\n');
  }
}
