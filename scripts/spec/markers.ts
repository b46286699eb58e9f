/**
 * The generated sections of the spec's Markdown (and the README's): everything between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` is replaced by the section of that
 * name; the rest of the file is left as written.
 */

const MARKED = /<!-- generated:([a-z-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g;

/**
 * Replaces every generated section of one Markdown file with `sections[NAME](inputs)`; throws,
 * naming `file`, on unknown or unclosed markers.
 */
export function fillSections<Inputs>(
  file: string,
  text: string,
  sections: Record<string, (inputs: Inputs) => string>,
  inputs: Inputs,
): string {
  const opened = [...text.matchAll(/<!-- generated:([a-z-]+) -->/g)].map((m) => m[1]!);
  const filled = text.replace(MARKED, (_all, name: string) => {
    const section = sections[name];
    if (!section) throw new Error(`${file}: unknown generated section "${name}"`);
    return `<!-- generated:${name} -->\n\n${section(inputs)}\n\n<!-- /generated:${name} -->`;
  });
  const closed = [...text.matchAll(MARKED)].length;
  if (closed !== opened.length) throw new Error(`${file}: a <!-- generated:NAME --> marker is not closed`);
  return filled;
}
