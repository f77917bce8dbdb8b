//! A plotters drawing backend that writes SVG straight into a string.
//!
//! It writes, byte for byte, what plotters' own SVG backend (plotters-svg
//! 0.3) writes for the shapes charts use: rectangles, polylines, polygons,
//! circles, lines and pixels. plotters-svg formats every number and colour
//! into a temporary string of its own (`format!` per attribute, about 5,000
//! instructions a rectangle), which made drawing charts the largest single
//! cost of a national site's first build; this writes each attribute in
//! place. A test draws every kind of chart with both backends and requires
//! the same bytes, so plotters still decides every shape and coordinate.
//!
//! Text is written by `svg.rs` itself (plotters would need a font library
//! to draw it), so drawing text here is an error rather than a guess.

use std::io;

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// An SVG document being drawn into `out`, opened as plotters-svg opens it
/// and closed (`</svg>`) when presented or dropped.
pub struct SvgWriter<'a> {
    out: &'a mut String,
    size: (u32, u32),
    closed: bool,
}

impl<'a> SvgWriter<'a> {
    pub fn with_string(out: &'a mut String, size: (u32, u32)) -> Self {
        out.push_str("<svg width=\"");
        push_int(out, size.0);
        out.push_str("\" height=\"");
        push_int(out, size.1);
        out.push_str("\" viewBox=\"0 0 ");
        push_int(out, size.0);
        out.push(' ');
        push_int(out, size.1);
        out.push_str("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        SvgWriter {
            out,
            size,
            closed: false,
        }
    }

    /// `name="value"` with a space before it.
    fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(value);
        self.out.push('"');
        self
    }

    fn int_attr(&mut self, name: &str, value: impl itoa::Integer) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_int(self.out, value);
        self.out.push('"');
        self
    }

    /// `opacity` as plotters-svg writes it: the alpha as Rust displays it.
    fn opacity(&mut self, colour: BackendColor) -> &mut Self {
        if colour.alpha == 1.0 {
            return self.attr("opacity", "1");
        }
        let alpha = colour.alpha.to_string();
        self.attr("opacity", &alpha)
    }

    /// A colour as plotters-svg writes it: `#RRGGBB`, in capitals.
    fn colour_attr(&mut self, name: &str, colour: BackendColor) -> &mut Self {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"#");
        let (r, g, b) = colour.rgb;
        for v in [r, g, b] {
            self.out.push(DIGITS[(v >> 4) as usize] as char);
            self.out.push(DIGITS[(v & 15) as usize] as char);
        }
        self.out.push('"');
        self
    }

    /// `fill` then `stroke`, one of them the colour and the other `none`.
    fn fill_or_stroke(&mut self, colour: BackendColor, fill: bool) -> &mut Self {
        if fill {
            self.colour_attr("fill", colour).attr("stroke", "none")
        } else {
            self.attr("fill", "none").colour_attr("stroke", colour)
        }
    }

    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) -> &mut Self {
        self.out.push_str(" points=\"");
        for (x, y) in path {
            push_int(self.out, x);
            self.out.push(',');
            push_int(self.out, y);
            self.out.push(' ');
        }
        self.out.push('"');
        self
    }

    fn open(&mut self, tag: &str) {
        self.out.push('<');
        self.out.push_str(tag);
    }

    fn end(&mut self) {
        self.out.push_str("/>\n");
    }

    /// One element, `<tag …/>`, its attributes written by `attrs`; nothing
    /// for a fully transparent colour, as plotters-svg skips those.
    fn shape(&mut self, tag: &str, colour: BackendColor, attrs: impl FnOnce(&mut Self)) -> Drawn {
        if colour.alpha == 0.0 {
            return Ok(());
        }
        self.open(tag);
        attrs(self);
        self.end();
        Ok(())
    }
}

fn push_int(out: &mut String, value: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(value));
}

type Drawn = Result<(), DrawingErrorKind<io::Error>>;

impl DrawingBackend for SvgWriter<'_> {
    type ErrorType = io::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        if !self.closed {
            self.out.push_str("</svg>\n");
            self.closed = true;
        }
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn {
        self.shape("rect", colour, |w| {
            w.int_attr("x", point.0)
                .int_attr("y", point.1)
                .attr("width", "1")
                .attr("height", "1")
                .attr("stroke", "none")
                .opacity(colour)
                .colour_attr("fill", colour);
        })
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        let colour = style.color();
        self.shape("line", colour, |w| {
            w.opacity(colour)
                .colour_attr("stroke", colour)
                .int_attr("stroke-width", style.stroke_width())
                .int_attr("x1", from.0)
                .int_attr("y1", from.1)
                .int_attr("x2", to.0)
                .int_attr("y2", to.1);
        })
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let colour = style.color();
        self.shape("rect", colour, |w| {
            w.int_attr("x", upper_left.0)
                .int_attr("y", upper_left.1)
                .int_attr("width", bottom_right.0 - upper_left.0)
                .int_attr("height", bottom_right.1 - upper_left.1)
                .opacity(colour)
                .fill_or_stroke(colour, fill);
        })
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let colour = style.color();
        self.shape("polyline", colour, |w| {
            w.attr("fill", "none")
                .opacity(colour)
                .colour_attr("stroke", colour)
                .int_attr("stroke-width", style.stroke_width())
                .points(path);
        })
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let colour = style.color();
        self.shape("polygon", colour, |w| {
            w.opacity(colour).colour_attr("fill", colour).points(path);
        })
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let colour = style.color();
        self.shape("circle", colour, |w| {
            w.int_attr("cx", center.0)
                .int_attr("cy", center.1)
                .int_attr("r", radius)
                .opacity(colour)
                .fill_or_stroke(colour, fill)
                .int_attr("stroke-width", style.stroke_width());
        })
    }

    fn draw_text<S: BackendTextStyle>(&mut self, _: &str, _: &S, _: BackendCoord) -> Drawn {
        Err(DrawingErrorKind::DrawingError(io::Error::other(
            "chart text is written by charts/svg.rs, not drawn by plotters",
        )))
    }
}

impl Drop for SvgWriter<'_> {
    /// Closed however drawing ends, as plotters-svg closes its document.
    fn drop(&mut self) {
        let _ = self.present();
    }
}

/// Which backend charts are drawn with: [`SvgWriter`] when building, and
/// plotters-svg's own in the test that holds the two to the same bytes.
pub trait Svg {
    type Backend<'s>: DrawingBackend;
    fn backend(out: &mut String, size: (u32, u32)) -> Self::Backend<'_>;
}

/// Charts drawn with [`SvgWriter`].
pub struct Writer;

impl Svg for Writer {
    type Backend<'s> = SvgWriter<'s>;
    fn backend(out: &mut String, size: (u32, u32)) -> SvgWriter<'_> {
        SvgWriter::with_string(out, size)
    }
}

/// Charts drawn with plotters-svg, to compare [`SvgWriter`] with.
#[cfg(test)]
pub struct PlottersSvg;

#[cfg(test)]
impl Svg for PlottersSvg {
    type Backend<'s> = plotters::prelude::SVGBackend<'s>;
    fn backend(out: &mut String, size: (u32, u32)) -> Self::Backend<'_> {
        plotters::prelude::SVGBackend::with_string(out, size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::SVGBackend;
    use plotters_backend::BackendColor;

    struct Pen(BackendColor, u32);

    impl BackendStyle for Pen {
        fn color(&self) -> BackendColor {
            self.0
        }
        fn stroke_width(&self) -> u32 {
            self.1
        }
    }

    /// Every shape, filled and not, in every opacity, drawn on `b`.
    fn shapes<DB: DrawingBackend>(mut b: DB) {
        for alpha in [1.0, 0.5, 0.25, 0.0] {
            let pen = Pen(
                BackendColor {
                    alpha,
                    rgb: (0x12, 0xab, 0x0f),
                },
                2,
            );
            b.draw_pixel((3, -4), pen.0).ok();
            b.draw_line((0, 1), (-20, 300), &pen).ok();
            b.draw_rect((5, 6), (70, 80), &pen, true).ok();
            b.draw_rect((-5, 6), (7, 8), &pen, false).ok();
            b.draw_path([(1, 2), (3, -4), (500, 6)], &pen).ok();
            b.fill_polygon([(0, -7), (7, 5), (-7, 5)], &pen).ok();
            b.draw_circle((10, 11), 5, &pen, true).ok();
            b.draw_circle((-10, 11), 0, &pen, false).ok();
        }
        b.present().ok();
    }

    #[test]
    fn each_shape_is_written_as_plotters_svg_writes_it() {
        let (mut ours, mut theirs) = (String::new(), String::new());
        shapes(SvgWriter::with_string(&mut ours, (480, 300)));
        shapes(SVGBackend::with_string(&mut theirs, (480, 300)));
        assert!(ours.contains("opacity=\"0.25\""), "{ours}");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_writer_dropped_undrawn_still_closes_its_svg() {
        let (mut ours, mut theirs) = (String::new(), String::new());
        drop(SvgWriter::with_string(&mut ours, (4, 3)));
        drop(SVGBackend::with_string(&mut theirs, (4, 3)));
        assert_eq!(ours, theirs);
    }

    #[test]
    fn text_is_refused_with_a_reason() {
        let mut out = String::new();
        let mut w = SvgWriter::with_string(&mut out, (4, 3));
        use plotters::style::IntoFont;
        let style = plotters::style::TextStyle::from(("sans-serif", 10).into_font());
        let e = w.draw_text("hi", &style, (0, 0)).unwrap_err();
        assert!(e.to_string().contains("svg.rs"), "{e}");
    }
}
