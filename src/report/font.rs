//! The one font reports and charts use, and the only module that touches
//! allsorts: Noto Sans CJK SC (assets/fonts/README.md, SIL Open Font
//! License), embedded in the binary and cut at run time to the characters
//! of one document, so that Chinese renders without a CJK font on the
//! reader's machine and nothing is fetched.

use allsorts::binary::read::ReadScope;
use allsorts::font::read_cmap_subtable;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::FontTableProvider;
use allsorts::tables::cmap::Cmap;
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

/// The embedded font cut to the characters of `text`.
pub(crate) fn cut(text: &str) -> Result<Cut, FontError> {
    let font = ReadScope::new(FONT)
        .read::<FontData<'_>>()
        .map_err(font_error)?;
    let provider = font.table_provider(0).map_err(font_error)?;
    let cmap_data = provider.read_table_data(tag::CMAP).map_err(font_error)?;
    let cmap = ReadScope::new(&cmap_data)
        .read::<Cmap<'_>>()
        .map_err(font_error)?;
    let (_, chars) = read_cmap_subtable(&cmap)
        .map_err(font_error)?
        .ok_or_else(|| FontError("it has no Unicode cmap".into()))?;
    let mut glyphs = BTreeSet::from([0u16]);
    let mut missing = Vec::new();
    for c in text.chars().collect::<BTreeSet<_>>() {
        // the font's cmap is of the Basic Multilingual Plane: a character
        // beyond it (an emoji, a rare hanzi) is one it lacks
        match chars.map_glyph(u32::from(c)) {
            Ok(Some(g)) => {
                glyphs.insert(g);
            }
            _ if !c.is_whitespace() && !c.is_control() => missing.push(c),
            _ => {}
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
