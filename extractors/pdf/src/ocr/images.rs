//! A page's bitmap taken from its image XObjects instead of rendering the page: a scan's page is
//! one image (JPEG, or raw samples in a Flate stream), decoded here without a `pdftoppm`
//! process per page. Each image is turned and flipped as its placement matrix says, scaled to the
//! rendering resolution and put where it is drawn, so positions map back to the page as from a
//! render. Codecs the crate does not decode (CCITT fax, JBIG2, JPEG 2000), inline images,
//! colour spaces other than grey, RGB and indexed, and placements that are neither upright nor
//! a quarter turn give `None`: the caller renders the page instead.

use super::bitmap::Gray;
use crate::font::deref;
use crate::walker::PlacedImage;
use image::imageops::{self, FilterType};
use image::{DynamicImage, GrayImage, ImageFormat, RgbImage};
use lopdf::{Dictionary, Document, Object};

/// The Gaussian blur, in pixels, that gives a taken image a render's soft edges.
const SOFTEN_SIGMA: f32 = 0.5;
/// An image within this many pixels of its drawn size is placed as it is: resampling it for
/// a rounding difference costs ~100 ms a picture and moves no ink by more than this.
const SAME_SIZE_PX: u32 = 2;
/// Decoded samples of one image: no more than a 600 dpi A3 page holds (grey).
const MAX_SAMPLES: usize = 7016 * 9921;

/// The region (x, y, w, h: pixels of the page at `scale` pixels per point) as a white canvas
/// holding the given images as drawn, or `None` when one of them cannot be taken directly.
pub(crate) fn compose(doc: &Document, images: &[PlacedImage], (x, y, w, h): (usize, usize, usize, usize), scale: f32) -> Option<Gray> {
    let mut canvas = GrayImage::from_pixel(w as u32, h as u32, image::Luma([255]));
    for placed in images {
        let reference = Object::Reference(placed.id?);
        let Object::Stream(stream) = deref(doc, Some(&reference))? else { return None };
        let img = upright(decode(doc, stream)?, &placed.ctm)?;
        let (x0, y0, x1, y1) = bounds(&placed.ctm);
        let (x0, y0) = (x0 * scale, y0 * scale);
        let (tw, th) = (((x1 * scale) - x0).round() as u32, ((y1 * scale) - y0).round() as u32);
        if tw == 0 || th == 0 || tw as usize * th as usize > MAX_SAMPLES {
            return None;
        }
        let (iw, ih) = img.dimensions();
        let img = if iw.abs_diff(tw) <= SAME_SIZE_PX && ih.abs_diff(th) <= SAME_SIZE_PX { img } else { imageops::resize(&img, tw, th, FilterType::Triangle) };
        imageops::replace(&mut canvas, &img, x0.round() as i64 - x as i64, y0.round() as i64 - y as i64);
    }
    // Softened as a render's edges are: the engine reads a scan taken sharp worse (seed 004's
    // 200 dpi office scan: F1 0.96 sharp, 1.00 softened, 0.99 rendered by pdftoppm; table 01
    // of the misread fixture's 1-bit page is lost sharp).
    Some(Gray { w, h, px: imageops::blur(&canvas, SOFTEN_SIGMA).into_raw() })
}

/// The box an image is drawn in, view space: (x0, y0, x1, y1).
pub(crate) fn bounds(m: &[f32; 6]) -> (f32, f32, f32, f32) {
    let xs = [m[4], m[4] + m[0], m[4] + m[2], m[4] + m[0] + m[2]];
    let ys = [m[5], m[5] + m[1], m[5] + m[3], m[5] + m[1] + m[3]];
    let min = |v: [f32; 4]| v.into_iter().fold(f32::MAX, f32::min);
    let max = |v: [f32; 4]| v.into_iter().fold(f32::MIN, f32::max);
    (min(xs), min(ys), max(xs), max(ys))
}

/// The image turned and flipped so that its rows run down and its columns right on the page,
/// or `None` for a placement that is skewed or sheared.
fn upright(img: GrayImage, m: &[f32; 6]) -> Option<GrayImage> {
    let tiny = |v: f32| v.abs() <= 1e-3 * (m[0].abs() + m[1].abs() + m[2].abs() + m[3].abs());
    // Sample columns run along the unit square's x axis (m0, m1), rows against its y (−m2, −m3).
    let (img, right, down) = if tiny(m[1]) && tiny(m[2]) {
        (img, m[0], -m[3])
    } else if tiny(m[0]) && tiny(m[3]) {
        // A quarter turn: columns run down the page, rows across; transposed, they run right.
        (imageops::flip_horizontal(&imageops::rotate90(&img)), -m[2], m[1])
    } else {
        return None;
    };
    let img = if right < 0.0 { imageops::flip_horizontal(&img) } else { img };
    Some(if down < 0.0 { imageops::flip_vertical(&img) } else { img })
}

/// The image's samples as grey, when its codec and colour space are ones read here.
fn decode(doc: &Document, stream: &lopdf::Stream) -> Option<GrayImage> {
    Some(decode_colour(doc, stream)?.into_luma8())
}

/// A picture as drawn upright, at its own resolution.
pub(crate) struct Taken {
    pub gray: Gray,
    /// Its pixels per inch on the page (across).
    pub dpi: f32,
    /// The share of its painted pixels in strong colour (see [`colour_share`]).
    pub colour_share: f32,
}

/// The picture at its own resolution, or `None` when it cannot be taken directly.
pub(crate) fn take(doc: &Document, placed: &PlacedImage) -> Option<Taken> {
    let reference = Object::Reference(placed.id?);
    let Object::Stream(stream) = deref(doc, Some(&reference))? else { return None };
    let img = decode_colour(doc, stream)?;
    let colour_share = match &img {
        DynamicImage::ImageRgb8(rgb) => colour_share(rgb),
        _ => 0.0,
    };
    let img = upright(img.into_luma8(), &placed.ctm)?;
    let (x0, _, x1, _) = bounds(&placed.ctm);
    let dpi = img.width() as f32 / ((x1 - x0) / 72.0);
    dpi.is_finite().then(|| Taken { gray: Gray { w: img.width() as usize, h: img.height() as usize, px: img.into_raw() }, dpi, colour_share })
}

/// The share of a picture's painted pixels (not near white) that are in strong colour. Charts
/// and photos are mostly colour; tables are black or grey ink, at most a pale fill and a red
/// seal.
fn colour_share(rgb: &RgbImage) -> f32 {
    let (mut painted, mut coloured) = (0usize, 0usize);
    for px in rgb.pixels() {
        let [r, g, b] = px.0;
        let (lo, hi) = (r.min(g).min(b), r.max(g).max(b));
        if lo < PAINTED_BELOW {
            painted += 1;
            coloured += usize::from(hi - lo >= STRONG_CHROMA);
        }
    }
    if painted == 0 {
        0.0
    } else {
        coloured as f32 / painted as f32
    }
}

/// A pixel is painted when one of its channels is below this (paper and a scan's grey
/// background are above)…
const PAINTED_BELOW: u8 = 224;
/// …and in strong colour when its channels spread this far (a chart's blue 68,114,196 spreads
/// 128; a table header's pale blue 189,215,238 spreads 49; grey spreads 0).
const STRONG_CHROMA: u8 = 96;

/// The image's samples in their own colours (grey or RGB), when its codec and colour space are
/// ones read here.
fn decode_colour(doc: &Document, stream: &lopdf::Stream) -> Option<DynamicImage> {
    let d = &stream.dict;
    let num = |key: &[u8]| deref(doc, d.get(key).ok()).and_then(|o| o.as_i64().ok());
    let (w, h) = (u32::try_from(num(b"Width")?).ok()?, u32::try_from(num(b"Height")?).ok()?);
    if w == 0 || h == 0 || w as usize * h as usize > MAX_SAMPLES {
        return None;
    }
    let filters: Vec<&[u8]> = match deref(doc, d.get(b"Filter").ok()) {
        None => Vec::new(),
        Some(Object::Name(n)) => vec![n.as_slice()],
        Some(Object::Array(a)) => a.iter().map(|o| o.as_name().ok()).collect::<Option<_>>()?,
        Some(_) => return None,
    };
    if filters.last() == Some(&&b"DCTDecode"[..]) {
        // A JPEG: its own header says its size and colours. Adobe's CMYK JPEGs are not read.
        if filters.len() != 1 || matches!(colour_space(doc, d), Some(Space::Cmyk) | None) {
            return None;
        }
        let img = image::load_from_memory_with_format(&stream.content, ImageFormat::Jpeg).ok()?;
        return ((img.width(), img.height()) == (w, h)).then_some(img);
    }
    // Raw samples once lopdf has undone Flate (with its predictor), LZW, run length, ASCII.
    if filters.iter().any(|f| matches!(*f, b"CCITTFaxDecode" | b"JBIG2Decode" | b"JPXDecode" | b"DCTDecode")) {
        return None;
    }
    let data = stream.decompressed_content_with_limit(MAX_SAMPLES * 3).ok()?;
    let stencil = deref(doc, d.get(b"ImageMask").ok()).and_then(|o| o.as_bool().ok()).unwrap_or(false);
    let bpc = if stencil { 1 } else { num(b"BitsPerComponent")? };
    let inverted = deref(doc, d.get(b"Decode").ok()).and_then(|o| o.as_array().ok()).and_then(|a| a.first()).and_then(|o| o.as_float().ok()) == Some(1.0);
    let space = if stencil { Space::Gray } else { colour_space(doc, d)? };
    let samples = unpack(&data, w as usize, h as usize, space.components(), bpc as u8)?;
    let grey = |px: Vec<u8>| GrayImage::from_raw(w, h, px).map(DynamicImage::ImageLuma8);
    let rgb = |px: Vec<u8>| RgbImage::from_raw(w, h, px).map(DynamicImage::ImageRgb8);
    match space {
        // A stencil paints its 0 samples (black ink) unless /Decode [1 0] says its 1 samples.
        Space::Gray if stencil => grey(samples.iter().map(|&s| if (s == 0) != inverted { 0 } else { 255 }).collect()),
        Space::Gray => grey(samples.iter().map(|&s| if inverted { 255 - scaled(s, bpc) } else { scaled(s, bpc) }).collect()),
        Space::Rgb => rgb(samples.iter().map(|&s| scaled(s, bpc)).collect()),
        Space::Indexed(ref palette, base) => {
            let n = base.components();
            let colour = |i: u8| -> Vec<u8> { (0..n).map(|k| palette.get(i as usize * n + k).copied().unwrap_or(255)).collect() };
            let px: Vec<u8> = samples.iter().flat_map(|&i| colour(i)).collect();
            match *base {
                Space::Gray => grey(px),
                _ => rgb(px),
            }
        }
        Space::Cmyk => None,
    }
}

/// A sample of `bpc` bits scaled to 0–255.
fn scaled(s: u8, bpc: i64) -> u8 {
    match bpc {
        1 => s * 255,
        2 => s * 85,
        4 => s * 17,
        _ => s,
    }
}

/// The samples of `w`×`h` pixels of `n` components each, `bpc` bits per sample, rows padded to
/// whole bytes, one sample per byte.
fn unpack(data: &[u8], w: usize, h: usize, n: usize, bpc: u8) -> Option<Vec<u8>> {
    if !matches!(bpc, 1 | 2 | 4 | 8) {
        return None;
    }
    let per_row = w * n;
    let row_bytes = (per_row * bpc as usize).div_ceil(8);
    if data.len() < row_bytes * h {
        return None;
    }
    if bpc == 8 {
        return Some(data.chunks(row_bytes).take(h).flat_map(|r| r[..per_row].iter().copied()).collect());
    }
    let per_byte = 8 / bpc as usize;
    let mask = (1u16 << bpc) as u8 - 1;
    let mut out = Vec::with_capacity(per_row * h);
    for row in data.chunks(row_bytes).take(h) {
        out.extend((0..per_row).map(|i| (row[i / per_byte] >> (8 - bpc as usize * (i % per_byte + 1))) & mask));
    }
    Some(out)
}

/// The colour spaces read here.
#[derive(Debug, Clone, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// A palette (its colours, each `base.components()` bytes) over a grey or RGB base.
    Indexed(Vec<u8>, Box<Space>),
}

impl Space {
    fn components(&self) -> usize {
        match self {
            Space::Gray | Space::Indexed(..) => 1,
            Space::Rgb => 3,
            Space::Cmyk => 4,
        }
    }
}

fn colour_space(doc: &Document, d: &Dictionary) -> Option<Space> {
    space_of(doc, deref(doc, d.get(b"ColorSpace").ok())?)
}

fn space_of(doc: &Document, o: &Object) -> Option<Space> {
    match o {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Some(Space::Gray),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Some(Space::Rgb),
            b"DeviceCMYK" | b"CMYK" => Some(Space::Cmyk),
            _ => None,
        },
        Object::Array(a) => {
            let family = a.first()?.as_name().ok()?;
            match family {
                // An ICC profile stands for its number of components' device space.
                b"ICCBased" => {
                    let Object::Stream(s) = deref(doc, a.get(1))? else { return None };
                    match deref(doc, s.dict.get(b"N").ok())?.as_i64().ok()? {
                        1 => Some(Space::Gray),
                        3 => Some(Space::Rgb),
                        4 => Some(Space::Cmyk),
                        _ => None,
                    }
                }
                b"Indexed" | b"I" => {
                    let base = space_of(doc, deref(doc, a.get(1))?)?;
                    if !matches!(base, Space::Gray | Space::Rgb) {
                        return None;
                    }
                    let palette = match deref(doc, a.get(3))? {
                        Object::String(bytes, _) => bytes.clone(),
                        Object::Stream(s) => s.decompressed_content().ok()?,
                        _ => return None,
                    };
                    Some(Space::Indexed(palette, Box::new(base)))
                }
                b"CalGray" | b"CalRGB" => space_of(doc, &Object::Name(family.to_vec())),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_samples() {
        // Two rows of 3 one-bit pixels, each row padded to a byte.
        assert_eq!(unpack(&[0b1010_0000, 0b0110_0000], 3, 2, 1, 1).unwrap(), vec![1, 0, 1, 0, 1, 1]);
        assert_eq!(unpack(&[0x12, 0x30], 3, 1, 1, 4).unwrap(), vec![1, 2, 3]);
        assert!(unpack(&[0], 9, 1, 1, 1).is_none(), "short data");
    }

    /// A picture as an RGB image XObject of `w`×`h`, its pixels painted by `paint`.
    fn rgb_picture(w: u32, h: u32, paint: impl Fn(u32, u32) -> [u8; 3]) -> (Document, PlacedImage) {
        let mut doc = Document::with_version("1.5");
        let px: Vec<u8> = (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).flat_map(|(x, y)| paint(x, y)).collect();
        let dict = lopdf::dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 };
        let id = doc.add_object(lopdf::Stream::new(dict, px));
        (doc, PlacedImage { id: Some(id), ctm: [w as f32, 0.0, 0.0, -(h as f32), 0.0, h as f32] })
    }

    #[test]
    fn charts_are_told_from_tables_by_their_colour() {
        let limit = crate::settings::TableSettings::default().ocr_colour_share;
        // A pie chart: a disc of three coloured sectors, a black caption line above it.
        let pie = |x: u32, y: u32| {
            let (dx, dy) = (x as f32 - 100.0, y as f32 - 110.0);
            match (y, dx * dx + dy * dy <= 80.0 * 80.0) {
                (5..=8, _) if (40..160).contains(&x) => [0, 0, 0],
                (_, true) if dx >= 0.0 => [68, 114, 196],
                (_, true) if dy >= 0.0 => [237, 125, 49],
                (_, true) => [255, 192, 0],
                _ => [255, 255, 255],
            }
        };
        // A ruled table: black rules every 20 px, grey text strokes in its cells, a pale blue
        // header row and a red seal ring stamped over it.
        let table = |x: u32, y: u32| {
            let (dx, dy) = (x as f32 - 150.0, y as f32 - 100.0);
            let ring = (dx * dx + dy * dy).sqrt();
            match () {
                _ if (38.0..42.0).contains(&ring) => [220, 30, 30],
                _ if x % 40 == 0 || y % 20 == 0 => [0, 0, 0],
                _ if y % 20 == 10 && x % 40 > 8 && x % 40 < 30 => [60, 60, 60],
                _ if y < 20 => [189, 215, 238],
                _ => [255, 255, 255],
            }
        };
        let share = |(doc, placed): (Document, PlacedImage)| take(&doc, &placed).unwrap().colour_share;
        let (pie, table) = (share(rgb_picture(200, 200, pie)), share(rgb_picture(240, 200, table)));
        assert!(pie >= 0.9 && pie >= limit, "pie chart {pie}");
        assert!(table < limit, "table {table}");
    }

    #[test]
    fn placements() {
        // 2×1 image: black then white.
        let img = GrayImage::from_raw(2, 1, vec![0, 255]).unwrap();
        // Upright (y flipped by the view matrix already: −height in m3 means rows run down).
        assert_eq!(upright(img.clone(), &[2.0, 0.0, 0.0, -1.0, 0.0, 1.0]).unwrap().into_raw(), vec![0, 255]);
        // Mirrored left to right.
        assert_eq!(upright(img.clone(), &[-2.0, 0.0, 0.0, -1.0, 2.0, 1.0]).unwrap().into_raw(), vec![255, 0]);
        // A quarter turn: columns run down the page.
        let turned = upright(img.clone(), &[0.0, 2.0, -1.0, 0.0, 1.0, 0.0]).unwrap();
        assert_eq!((turned.dimensions(), turned.into_raw()), ((1, 2), vec![0, 255]));
        assert!(upright(img, &[1.0, 1.0, -1.0, 1.0, 0.0, 0.0]).is_none(), "a skewed placement is rendered");
    }
}
