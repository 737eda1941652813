//! The one font reports and charts use, and the only module that touches
//! allsorts: Noto Sans CJK SC (assets/fonts/README.md, SIL Open Font
//! License), embedded in the binary and cut at run time to the characters
//! of one document, so that Chinese renders without a CJK font on the
//! reader's machine and nothing is fetched.

use allsorts::binary::read::ReadScope;
use allsorts::font::read_cmap_subtable;
use allsorts::font_data::{DynamicFontTableProvider, FontData};
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::FontTableProvider;
use allsorts::tables::cmap::Cmap;
use allsorts::tables::{HeadTable, HheaTable, HmtxTable, MaxpTable};
use allsorts::tag;
use base64::Engine as _;
use std::collections::BTreeSet;

/// The font file: GB 2312 and Latin, 8,491 characters.
const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-gb2312.otf");

/// The family name documents give the embedded font.
pub(crate) const FAMILY: &str = "FundsimSans";

/// The CSS `font-family` of text: the embedded font, then the reader's.
pub(crate) const STACK: &str = "FundsimSans, 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

/// Why the font could not be cut (a defect of the embedded file, never of
/// the user's input).
#[derive(Debug, thiserror::Error)]
#[error("the embedded font cannot be subset: {0}")]
pub(crate) struct FontError(String);

fn font_error(e: impl std::fmt::Debug) -> FontError {
    FontError(format!("{e:?}"))
}

/// The embedded font cut to one document's characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut {
    /// An OpenType font with a Unicode `cmap`: the same bytes for the same
    /// characters.
    pub(crate) bytes: Vec<u8>,
    /// The document's characters (not whitespace or controls) the font
    /// lacks: the reader's fonts draw them.
    pub(crate) missing: Vec<char>,
}

/// The embedded font's tables.
fn provider() -> Result<DynamicFontTableProvider<'static>, FontError> {
    ReadScope::new(FONT)
        .read::<FontData<'_>>()
        .map_err(font_error)?
        .table_provider(0)
        .map_err(font_error)
}

/// Each character's glyph in the embedded font, `None` for one it lacks:
/// its cmap is of the Basic Multilingual Plane, so a character beyond it
/// (an emoji, a rare hanzi) is one it lacks.
fn glyphs_of(
    provider: &impl FontTableProvider,
    chars: &[char],
) -> Result<Vec<Option<u16>>, FontError> {
    let cmap_data = provider.read_table_data(tag::CMAP).map_err(font_error)?;
    let cmap = ReadScope::new(&cmap_data)
        .read::<Cmap<'_>>()
        .map_err(font_error)?;
    let (_, map) = read_cmap_subtable(&cmap)
        .map_err(font_error)?
        .ok_or_else(|| FontError("it has no Unicode cmap".into()))?;
    Ok(chars
        .iter()
        .map(|c| map.map_glyph(u32::from(*c)).ok().flatten())
        .collect())
}

/// The embedded font cut to the characters of `text`.
pub(crate) fn cut(text: &str) -> Result<Cut, FontError> {
    let provider = provider()?;
    let chars: Vec<char> = text.chars().collect::<BTreeSet<_>>().into_iter().collect();
    let mut glyphs = BTreeSet::from([0u16]);
    let mut missing = Vec::new();
    for (c, glyph) in chars.iter().zip(glyphs_of(&provider, &chars)?) {
        match glyph {
            Some(g) => {
                glyphs.insert(g);
            }
            None if !c.is_whitespace() && !c.is_control() => missing.push(*c),
            None => {}
        }
    }
    let glyphs: Vec<u16> = glyphs.into_iter().collect();
    let bytes = subset(
        &provider,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(font_error)?;
    Ok(Cut { bytes, missing })
}

/// How wide each character of `text` is set in the embedded font, in ems
/// (times the font size, its width in pixels): its advance from the
/// font's metrics, one em for a character the font lacks (a reader's font
/// draws it, about as wide as a hanzi).
pub(crate) fn advances(text: &str) -> Result<Vec<f64>, FontError> {
    let provider = provider()?;
    let read = |t| provider.read_table_data(t).map_err(font_error);
    let (head, hhea, maxp) = (read(tag::HEAD)?, read(tag::HHEA)?, read(tag::MAXP)?);
    let head = ReadScope::new(&head)
        .read::<HeadTable>()
        .map_err(font_error)?;
    let hhea = ReadScope::new(&hhea)
        .read::<HheaTable>()
        .map_err(font_error)?;
    let maxp = ReadScope::new(&maxp)
        .read::<MaxpTable>()
        .map_err(font_error)?;
    let hmtx = read(tag::HMTX)?;
    let hmtx = ReadScope::new(&hmtx)
        .read_dep::<HmtxTable<'_>>((
            usize::from(maxp.num_glyphs),
            usize::from(hhea.num_h_metrics),
        ))
        .map_err(font_error)?;
    let em = f64::from(head.units_per_em.max(1));
    let chars: Vec<char> = text.chars().collect();
    glyphs_of(&provider, &chars)?
        .into_iter()
        .map(|glyph| match glyph {
            Some(g) => Ok(f64::from(hmtx.horizontal_advance(g).map_err(font_error)?) / em),
            None => Ok(1.0),
        })
        .collect()
}

/// A CSS `@font-face` rule that defines [`FAMILY`] as the embedded font cut
/// to the characters of `text`, as a data URL; and the characters it lacks.
pub(crate) fn face_rule(text: &str) -> Result<(String, Vec<char>), FontError> {
    let cut = cut(text)?;
    let data = base64::engine::general_purpose::STANDARD.encode(&cut.bytes);
    Ok((
        format!(
            "@font-face{{font-family:{FAMILY};src:url(data:font/otf;base64,{data}) format('opentype');}}"
        ),
        cut.missing,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cut font maps exactly the document's characters that the font
    /// has, the same bytes each time; a character outside GB 2312 is
    /// reported missing.
    #[test]
    fn a_cut_maps_the_documents_characters() {
        let text = "到2034年 累计结余 亿元 南昌 赣州 ±1.1 Reserves 㐀 🏭";
        let a = cut(text).unwrap();
        assert_eq!(a, cut(text).unwrap(), "deterministic");
        assert_eq!(a.missing, vec!['㐀', '🏭']);
        assert!(a.bytes.len() < 40_000, "{} bytes", a.bytes.len());
        // read the cut back: its cmap has every character but the missing one
        let font = ReadScope::new(&a.bytes).read::<FontData<'_>>().unwrap();
        let provider = font.table_provider(0).unwrap();
        let data = provider.read_table_data(tag::CMAP).unwrap();
        let cmap = ReadScope::new(&data).read::<Cmap<'_>>().unwrap();
        let (_, chars) = read_cmap_subtable(&cmap).unwrap().unwrap();
        for c in text.chars().filter(|c| !" 㐀🏭".contains(*c)) {
            assert!(chars.map_glyph(u32::from(c)).unwrap().is_some(), "{c}");
        }
        assert_eq!(
            chars.map_glyph(u32::from('洪')).unwrap(),
            None,
            "not in the text"
        );
    }
}
