//! Server text made safe to print.
//!
//! Messages, trace ids and `Location` headers come from whoever answered,
//! which may be a proxy or a hostile server. Before any of it reaches
//! `Display`, a log line or a tracing field, control characters are escaped
//! (no forged lines, no terminal escape codes) and the length is capped (no
//! megabyte messages). The full values stay available through accessors.

use std::fmt::{self, Write as _};

/// Shows at most `max_chars` characters of `text`, escaped as Rust escapes
/// strings in `Debug` output, with `…` when something was cut. No quotes.
pub(crate) struct Shown<'a> {
    text: &'a str,
    max_chars: usize,
}

/// How much of a message or reason is shown.
pub(crate) const MESSAGE_CHARS: usize = 300;
/// How much of an identifier (trace id) or URL is shown.
pub(crate) const SHORT_CHARS: usize = 100;

pub(crate) fn shown(text: &str, max_chars: usize) -> Shown<'_> {
    Shown { text, max_chars }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.text.chars();
        for c in chars.by_ref().take(self.max_chars) {
            // `escape_debug` leaves printable text alone and writes control
            // and other invisible characters as `\n`, `\u{1b}`, `\u{202e}`
            // and so on, as `Debug` of a string does (which leaves `'` alone).
            match c {
                '\'' => f.write_char(c)?,
                c => write!(f, "{}", c.escape_debug())?,
            }
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// The escaped, capped form as an owned string, for tracing fields.
pub(crate) fn shown_string(text: &str, max_chars: usize) -> String {
    shown(text, max_chars).to_string()
}

/// Cuts `text` to at most `max_chars` characters, marking the cut. For
/// strings built from server text that are kept (such as a decoder's
/// reason), so that memory stays bounded too.
pub(crate) fn capped(mut text: String, max_chars: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max_chars) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// How much of one field of a value holding server data `Debug` shows.
pub(crate) const DEBUG_FIELD_CHARS: usize = 2_000;

/// `Debug` of server data, cut after `max_chars` characters of output and
/// marked `…`: values kept whole for their accessors cannot flood a log line
/// through `{:?}`.
pub(crate) struct CappedDebug<'a, T: ?Sized>(pub(crate) &'a T, pub(crate) usize);

impl<T: fmt::Debug + ?Sized> fmt::Debug for CappedDebug<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let alternate = f.alternate();
        let mut out = Bounded {
            out: f,
            left: self.1,
            cut: false,
        };
        let written = if alternate {
            write!(out, "{:#?}", self.0)
        } else {
            write!(out, "{:?}", self.0)
        };
        // Once full, the writer fails so that the rest is not formatted at
        // all; that failure is the cut, not an error to pass on.
        if out.cut {
            out.out.write_str("…")
        } else {
            written
        }
    }
}

/// A writer that passes on at most `left` characters.
struct Bounded<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
}

impl fmt::Write for Bounded<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.cut {
            return Err(fmt::Error);
        }
        match text.char_indices().nth(self.left) {
            Some((end, _)) => {
                self.out.write_str(&text[..end])?;
                self.cut = true;
                Err(fmt::Error)
            }
            None => {
                self.left -= text.chars().count();
                self.out.write_str(text)
            }
        }
    }
}

/// `Debug` for a struct holding server data, each field cut at
/// [`DEBUG_FIELD_CHARS`].
macro_rules! capped_debug {
    ($type:ident { $($field:ident),* $(,)? }) => {
        impl ::std::fmt::Debug for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                // Every field named: one added later fails to compile here.
                let Self { $($field),* } = self;
                f.debug_struct(stringify!($type))
                    $(.field(
                        stringify!($field),
                        &$crate::text::CappedDebug($field, $crate::text::DEBUG_FIELD_CHARS),
                    ))*
                    .finish()
            }
        }
    };
}
pub(crate) use capped_debug;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        let shown = shown("tr_1\n2026-12-01 INFO forged\u{1b}[31m", 100).to_string();
        assert_eq!(shown, "tr_1\\n2026-12-01 INFO forged\\u{1b}[31m");
        assert!(!shown.chars().any(char::is_control));
    }

    #[test]
    fn invisible_characters_are_escaped_and_text_stays_readable() {
        assert_eq!(
            shown("it's \"quoted\" \u{202e}reversed\u{200b}", 100).to_string(),
            "it's \\\"quoted\\\" \\u{202e}reversed\\u{200b}"
        );
    }

    #[test]
    fn debug_output_is_cut_and_marked() {
        let long = "x".repeat(100_000);
        let debug = format!("{:?}", CappedDebug(&long, 50));
        assert_eq!(debug, format!("\"{}…", "x".repeat(49)));
        let short = vec!["a", "b"];
        assert_eq!(
            format!("{:#?}", CappedDebug(&short, 1000)),
            format!("{short:#?}")
        );
        assert_eq!(format!("{:?}", CappedDebug(&short, 1000)), "[\"a\", \"b\"]");
    }

    #[test]
    fn long_text_is_cut_and_marked() {
        let long = "é".repeat(1000);
        let shown = shown(&long, 10).to_string();
        assert_eq!(shown, format!("{}…", "é".repeat(10)));
        assert_eq!(super::shown("short", 10).to_string(), "short");
        assert_eq!(capped("abcdef".into(), 3), "abc…");
        assert_eq!(capped("abc".into(), 3), "abc");
    }
}
