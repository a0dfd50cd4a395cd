// Prints, as a JSON array, the text pdf.js extracts from each PDF named
// on the command line (its pages joined by form feeds). The module is
// pdfjs-dist's legacy build, named by PROTOKOL_PDFJS.
const { getDocument } = await import(process.env.PROTOKOL_PDFJS);
import { readFileSync } from "node:fs";
const texts = [];
for (const file of process.argv.slice(2)) {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, verbosity: 0 }).promise;
  const pages = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const tc = await (await doc.getPage(i)).getTextContent();
    pages.push(tc.items.map((it) => it.str + (it.hasEOL ? "\n" : "")).join(""));
  }
  texts.push(pages.join("\f"));
  await doc.destroy();
}
process.stdout.write(JSON.stringify(texts));
