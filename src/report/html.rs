//! The self-contained HTML document every command's `report.html` is
//! written as: headings, sentences, inline SVG charts, tables that declare
//! how they foot, and a list of facts, in one file with its own screen and
//! A4 print stylesheet and the embedded font cut to its characters
//! ([`super::font`]). No script, and nothing a browser would fetch: no
//! link, image or style sheet outside the file.
//!
//! What each report says is built elsewhere ([`super::report`]); this
//! module only writes it.

use super::font;
use super::labels::Lang;
use std::fmt::Write as _;

/// One report.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// Its language.
    pub(crate) lang: Lang,
    /// The title (the `<title>` and the first heading).
    pub(crate) title: String,
    /// The line under the title.
    pub(crate) subtitle: String,
    /// What it says, in order.
    pub(crate) blocks: Vec<Block>,
}

/// A part of a report.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// A section heading; its `id` is the anchor of the table of contents.
    Section {
        /// Anchor.
        id: String,
        /// Heading text.
        title: String,
    },
    /// The key sentences, set apart at the top.
    Headline(Vec<String>),
    /// A smaller note (sources, how a number is defined).
    Note(String),
    /// A chart: SVG text from [`super::chart`] and its caption.
    Figure {
        /// Anchor, for tests and links.
        id: String,
        /// The SVG document.
        svg: String,
        /// What the chart shows.
        caption: String,
    },
    /// A table.
    Table(Table),
    /// Label–value pairs (the provenance).
    Facts(Vec<(String, String)>),
}

/// How a table's printed numbers foot, declared on the table so that a
/// reader of the file (and the tests) can check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Footing {
    /// In every row, column `result` is the sum of the `plus` columns less
    /// the `minus` columns.
    Columns {
        /// The column that is the result.
        result: usize,
        /// Columns added.
        plus: Vec<usize>,
        /// Columns subtracted.
        minus: Vec<usize>,
    },
    /// In each of `columns`, row `result` (counted in the body from 0) is
    /// the sum of the `plus` rows less the `minus` rows.
    Rows {
        /// The columns it holds in.
        columns: Vec<usize>,
        /// The row that is the result.
        result: usize,
        /// Rows added.
        plus: Vec<usize>,
        /// Rows subtracted.
        minus: Vec<usize>,
    },
}

/// A table: a caption, its unit, a header row and rows of text cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Anchor, for tests and links.
    pub(crate) id: String,
    /// What the table shows.
    pub(crate) caption: String,
    /// The unit line above it (`单位：亿元`), if any.
    pub(crate) unit: Option<String>,
    /// The header cells.
    pub(crate) head: Vec<String>,
    /// The rows; a total row is set in bold.
    pub(crate) rows: Vec<Row>,
    /// Which columns are numbers (right-aligned).
    pub(crate) numeric: Vec<bool>,
    /// How the table foots.
    pub(crate) foots: Vec<Footing>,
    /// A note under the table.
    pub(crate) note: Option<String>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The cells as printed.
    pub(crate) cells: Vec<String>,
    /// A total or subtotal row.
    pub(crate) total: bool,
}

impl Row {
    /// A body row.
    pub(crate) fn body(cells: Vec<String>) -> Row {
        Row {
            cells,
            total: false,
        }
    }
}

/// Text for HTML: `&`, `<`, `>` and both quotes escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The stylesheet: a readable page on screen, an A4 document in print
/// (page numbers in the footer, charts and tables kept whole, headings kept
/// with what follows).
const STYLE: &str = "\
:root{color-scheme:light}
body{font-family:FAMILY;color:#1a1a1a;background:#fff;max-width:60rem;margin:2rem auto;padding:0 1.5rem;line-height:1.55;font-size:15px}
h1{font-size:1.7rem;margin:0 0 .2rem}
.subtitle{color:#555;margin:0 0 1.2rem}
h2{font-size:1.3rem;border-bottom:2px solid #08488f;padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.headline{border-left:5px solid #cb181d;background:#fbf3f3;padding:.6rem 1rem;margin:1rem 0}
.headline p{margin:.35rem 0;font-size:1.08rem}
.note{color:#555;font-size:.88rem}
nav ol{columns:2;padding-left:1.2rem}
figure{margin:1rem 0;break-inside:avoid}
figure svg{width:100%;height:auto;display:block}
figcaption{color:#444;font-size:.9rem;margin-top:.2rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.88rem;break-inside:auto}
table.keep{break-inside:avoid}
caption{text-align:left;font-weight:bold;padding-bottom:.2rem}
th,td{border:1px solid #bbb;padding:.18rem .45rem;vertical-align:top}
th{background:#eef3f9;font-weight:bold;text-align:center}
td:first-child{white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:bold;background:#f6f6f6}
thead{display:table-header-group}
tr{break-inside:avoid}
.unit{float:right;font-weight:normal;font-size:.85rem;color:#444;margin-left:2rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;font-size:.9rem}
dt{font-weight:bold}
dd{margin:0;overflow-wrap:anywhere}
@page{size:A4;margin:16mm 14mm 18mm}
@page{@bottom-center{content:counter(page);font-size:9pt;color:#555}}
@media print{body{margin:0;max-width:none;padding:0;font-size:10.5pt}
h2{break-after:avoid;margin-top:1.2rem}h3{break-after:avoid}
th,td{padding:.08rem .4rem}
nav{display:none}
figure{max-width:17cm}}
";

impl Document {
    /// The whole file: the document, its stylesheet and the embedded font
    /// cut to its characters.
    pub(crate) fn render(&self) -> Result<String, font::FontError> {
        let body = self.body();
        let (face, _) = font::face_rule(&format!("{}{body}", self.title))?;
        let lang = match self.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        let style = STYLE.replace("FAMILY", font::STACK);
        Ok(format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n{face}\n{style}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
            escape(&self.title)
        ))
    }

    /// The `<body>`'s contents.
    fn body(&self) -> String {
        let mut out = format!(
            "<header>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n</header>\n",
            escape(&self.title),
            escape(&self.subtitle)
        );
        let sections: Vec<(&str, &str)> = self
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Section { id, title } => Some((id.as_str(), title.as_str())),
                _ => None,
            })
            .collect();
        if sections.len() > 1 {
            out.push_str("<nav>\n<ol>\n");
            for (id, title) in &sections {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\">{}</a></li>",
                    escape(id),
                    escape(title)
                );
            }
            out.push_str("</ol>\n</nav>\n");
        }
        let mut open = false;
        for b in &self.blocks {
            if let Block::Section { id, title } = b {
                if open {
                    out.push_str("</section>\n");
                }
                let _ = writeln!(
                    out,
                    "<section id=\"{}\">\n<h2>{}</h2>",
                    escape(id),
                    escape(title)
                );
                open = true;
            } else {
                block(&mut out, b);
            }
        }
        if open {
            out.push_str("</section>\n");
        }
        out
    }
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Section { .. } => {}
        Block::Headline(sentences) => {
            out.push_str("<div class=\"headline\" id=\"headline\">\n");
            for s in sentences {
                let _ = writeln!(out, "<p>{}</p>", escape(s));
            }
            out.push_str("</div>\n");
        }
        Block::Note(t) => {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(t));
        }
        Block::Figure { id, svg, caption } => {
            let _ = writeln!(
                out,
                "<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
                escape(id),
                inline_svg(svg),
                escape(caption)
            );
        }
        Block::Table(t) => table(out, t),
        Block::Facts(pairs) => {
            out.push_str("<dl>\n");
            for (k, v) in pairs {
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
            }
            out.push_str("</dl>\n");
        }
    }
}

/// An SVG document as an element of the page: without its XML declaration,
/// and scalable (a `viewBox` from its width and height).
fn inline_svg(svg: &str) -> String {
    let svg = svg.trim();
    let svg = match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => svg,
    };
    if svg.contains("viewBox") {
        return svg.to_string();
    }
    let attr = |name: &str| -> Option<&str> {
        let key = format!("{name}=\"");
        let start = svg.find(&key)? + key.len();
        let len = svg[start..].find('"')?;
        Some(&svg[start..start + len])
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => svg.replacen("<svg", &format!("<svg viewBox=\"0 0 {w} {h}\""), 1),
        _ => svg.to_string(),
    }
}

/// The `data-foot` attribute: `c3=c1-c2` for columns, `r5=r0+r1:c1,c2`
/// for rows (in columns 1 and 2).
fn footing_attr(foots: &[Footing]) -> String {
    let rule = |kind: char, result: &usize, plus: &[usize], minus: &[usize]| {
        let mut s = format!("{kind}{result}=");
        for (i, p) in plus.iter().enumerate() {
            if i > 0 {
                s.push('+');
            }
            let _ = write!(s, "{kind}{p}");
        }
        for m in minus {
            let _ = write!(s, "-{kind}{m}");
        }
        s
    };
    foots
        .iter()
        .map(|f| match f {
            Footing::Columns {
                result,
                plus,
                minus,
            } => rule('c', result, plus, minus),
            Footing::Rows {
                columns,
                result,
                plus,
                minus,
            } => {
                let columns: Vec<String> = columns.iter().map(|c| format!("c{c}")).collect();
                format!("{}:{}", rule('r', result, plus, minus), columns.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A table of at most this many rows is kept on one printed page.
const KEEP_WHOLE: usize = 30;

fn table(out: &mut String, t: &Table) {
    let foot = footing_attr(&t.foots);
    let _ = write!(out, "<table id=\"{}\"", escape(&t.id));
    if t.rows.len() <= KEEP_WHOLE {
        out.push_str(" class=\"keep\"");
    }
    if !foot.is_empty() {
        let _ = write!(out, " data-foot=\"{foot}\"");
    }
    let unit = t.unit.as_ref().map_or(String::new(), |u| {
        format!("<span class=\"unit\">{}</span>", escape(u))
    });
    let _ = writeln!(out, ">\n<caption>{}{unit}</caption>", escape(&t.caption));
    out.push_str("<thead><tr>");
    for h in &t.head {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str(if r.total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for (i, c) in r.cells.iter().enumerate() {
            if t.numeric.get(i).copied().unwrap_or(false) {
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(c));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(c));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(n) = &t.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text is escaped everywhere it is written, an SVG gets a viewBox, a
    /// table declares its footing, and the file names nothing outside it.
    #[test]
    fn a_document_is_escaped_and_self_contained() {
        let doc = Document {
            lang: Lang::En,
            title: "A <b> & \"c\"".into(),
            subtitle: "s".into(),
            blocks: vec![
                Block::Section {
                    id: "one".into(),
                    title: "One".into(),
                },
                Block::Note("1 < 2 & 3 > 2".into()),
                Block::Figure {
                    id: "f".into(),
                    svg: "<?xml version=\"1.0\"?>\n<svg width=\"960\" height=\"580\" xmlns=\"http://www.w3.org/2000/svg\"></svg>".into(),
                    caption: "c".into(),
                },
                Block::Table(Table {
                    id: "t".into(),
                    caption: "T".into(),
                    head: vec!["a".into(), "b".into(), "a−b".into()],
                    rows: vec![Row::body(vec!["3".into(), "1".into(), "2".into()])],
                    numeric: vec![true; 3],
                    foots: vec![
                        Footing::Columns {
                            result: 2,
                            plus: vec![0],
                            minus: vec![1],
                        },
                        Footing::Rows {
                            columns: vec![0, 1],
                            result: 0,
                            plus: vec![],
                            minus: vec![],
                        },
                    ],
                    ..Table::default()
                }),
            ],
        };
        let html = doc.render().unwrap();
        assert!(html.contains("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert!(html.contains("<p class=\"note\">1 &lt; 2 &amp; 3 &gt; 2</p>"));
        assert!(html.contains("<svg viewBox=\"0 0 960 580\" width=\"960\""));
        assert!(!html.contains("<?xml"));
        assert!(html.contains("data-foot=\"c2=c0-c1 r0=:c0,c1\""));
        assert!(html.contains("@font-face{font-family:FundsimSans;src:url(data:font/otf;base64,"));
        assert!(!html.contains("<script"));
        // the SVG namespace is an identifier, not a request
        assert_eq!(html.matches("http").count(), 1, "{html}");
    }
}
