//! Tables of text cells, written for the console — aligned by display
//! width (a Chinese character takes two columns), so that city and class
//! names line up — or as Markdown.

use unicode_width::UnicodeWidthStr;

/// How a column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text columns.
    Left,
    /// Number columns.
    Right,
}

/// A table of text cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    heads: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column heads.
    pub(crate) fn new(heads: &[(&str, Align)]) -> Table {
        Table {
            heads: heads.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (one cell per column).
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as Markdown: a head row, the alignment row (`---`, or
    /// `---:` for numbers), then the rows.
    pub(crate) fn markdown(&self) -> String {
        let line = |cells: Vec<&str>| format!("| {} |\n", cells.join(" | "));
        let mut out = line(self.heads.iter().map(|(h, _)| h.as_str()).collect());
        out += &line(
            self.heads
                .iter()
                .map(|(_, a)| match a {
                    Align::Left => "---",
                    Align::Right => "---:",
                })
                .collect(),
        );
        for r in &self.rows {
            out += &line(r.iter().map(String::as_str).collect());
        }
        out
    }

    /// The table as text: two spaces before each line and between columns.
    pub(crate) fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.heads.len())
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .chain(std::iter::once(&self.heads[i].0))
                    .map(|c| c.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let heads: Vec<String> = self.heads.iter().map(|(h, _)| h.clone()).collect();
        for cells in std::iter::once(&heads).chain(&self.rows) {
            out.push_str("  ");
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.width());
                if i > 0 {
                    out.push_str("  ");
                }
                match self.heads[i].1 {
                    Align::Left => {
                        out.push_str(cell);
                        if i + 1 < cells.len() {
                            out.push_str(&" ".repeat(pad));
                        }
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-character Chinese name takes four columns, so the numbers after
    /// it line up with those after a four-letter name.
    #[test]
    fn aligns_by_display_width() {
        let mut t = Table::new(&[("city", Align::Left), ("net", Align::Right)]);
        t.row(vec!["南昌".into(), "1.5".into()]);
        t.row(vec!["Ab12".into(), "10.25".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].width(), lines[2].width());
        assert!(lines[1].ends_with("  1.5") && lines[2].ends_with("10.25"));
    }

    /// In Markdown, text columns are `---` and number columns `---:`.
    #[test]
    fn markdown_marks_number_columns() {
        let mut t = Table::new(&[("city", Align::Left), ("net", Align::Right)]);
        t.row(vec!["南昌".into(), "1.5".into()]);
        assert_eq!(
            t.markdown(),
            "| city | net |\n| --- | ---: |\n| 南昌 | 1.5 |\n"
        );
    }
}
