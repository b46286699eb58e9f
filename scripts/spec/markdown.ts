/** Markdown building blocks for the generated sections: code spans and tables. */

/** A code span that survives any content. */
export const code = (s: unknown) => {
  const text = String(s);
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${text}${fence.length > 1 ? " " : ""}${fence}`;
};

/** A table cell that keeps its `|` inside and stays on one line. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A Markdown table with a header row. */
export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}
