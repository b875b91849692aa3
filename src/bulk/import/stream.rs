//! JSON documents whose posts are one array (weibo-crawler's `weibo`, a search's `result`),
//! read from the file one array element at a time, so memory stays flat whatever the size.
//!
//! Two passes over the file, both through serde_json's reader (so every error names its line
//! and column): the first checks the whole document and reads what the posts depend on (the
//! format, the crawler's `user`, the array's length for the progress bar) while skipping each
//! post (`IgnoredAny`); the second deserializes each post into a `Value` and hands it on, the
//! array itself never held. A broken file is thus refused before anything is imported (as a
//! file read whole was), and `user` may come before or after the posts.

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

/// Which array holds the posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PostsKey {
    /// weibo-crawler: `{"user": {…}, "weibo": […]}`.
    Weibo,
    /// Saved search results: `{"query": …, "result": […]}`.
    Result,
}

impl PostsKey {
    fn name(self) -> &'static str {
        match self {
            PostsKey::Weibo => "weibo",
            PostsKey::Result => "result",
        }
    }
}

/// What the first pass learnt about a document.
#[derive(Debug, PartialEq)]
pub(super) enum Shape {
    /// Posts in an array under `key`, `len` of them; `user` is the crawler's account object.
    /// `nth` counts the earlier entries of `key`: a repeated key's last value is the one read.
    Posts {
        key: PostsKey,
        nth: usize,
        len: usize,
        user: Option<Value>,
    },
    /// `ok` and `data`: a saved getIndex page (one API answer, read whole).
    GetIndex,
    /// Valid JSON, but none of the shapes `import` reads.
    Other,
}

/// The first pass: checks the whole document and tells its shape.
pub(super) fn shape(reader: impl Read) -> serde_json::Result<Shape> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let shape = de.deserialize_any(ShapeVisitor)?;
    // Trailing characters are an error, as for a document read whole.
    de.end()?;
    Ok(shape)
}

/// The second pass: each element of the array under `key`, with its index, in file order.
/// `each` stops the pass by returning `Err` (its message becomes the error's).
pub(super) fn each_post(
    reader: impl Read,
    key: PostsKey,
    nth: usize,
    mut each: impl FnMut(usize, Value) -> Result<(), String>,
) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    de.deserialize_map(Posts {
        key,
        nth,
        each: &mut each,
    })?;
    de.end()
}

/// Whether `line` (one line, its newline included or not) is exactly one JSON object with
/// `platform_id` and `source_id`: a line of windvane's JSONL export. Nothing is kept of the
/// values, so a weibo-crawler document written on one line (hundreds of MB) costs a scan, not
/// a tree in memory.
pub(super) fn is_export_line(line: impl Read) -> bool {
    let mut de = serde_json::Deserializer::from_reader(line);
    matches!(de.deserialize_any(ExportKeys), Ok(true)) && de.end().is_ok()
}

/// The first line of a reader, as a reader: end of file after the first `\n`.
pub(super) struct FirstLine<R> {
    pub inner: R,
    pub done: bool,
}

impl<R: std::io::BufRead> Read for FirstLine<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        let buf = self.inner.fill_buf()?;
        // Only what fits in `out` is searched: serde_json reads a byte at a time.
        let buf = &buf[..buf.len().min(out.len())];
        let (n, newline) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        out[..n].copy_from_slice(&buf[..n]);
        self.inner.consume(n);
        self.done = newline;
        Ok(n)
    }
}

/// An object's top-level keys: `true` when both `platform_id` and `source_id` are there.
struct ExportKeys;

impl<'de> Visitor<'de> for ExportKeys {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let (mut id, mut source) = (false, false);
        while let Some(k) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            id |= k == "platform_id";
            source |= k == "source_id";
        }
        Ok(id && source)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// A value that is skipped, saying whether it was an array and of how many elements.
struct ArrayLen;

impl<'de> DeserializeSeed<'de> for ArrayLen {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ArrayLen {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<usize>, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Some(n))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<usize>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Option<usize>, E> {
        Ok(None)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        // (times seen, array length of the last one)
        let (mut weibo, mut result, mut user) = ((0, None), (0, None), None);
        let (mut ok, mut data) = (false, false);
        // The last of a repeated key wins, as it does for a document read into a `Value`.
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "weibo" => weibo = (weibo.0 + 1, map.next_value_seed(ArrayLen)?),
                "result" => result = (result.0 + 1, map.next_value_seed(ArrayLen)?),
                "user" => user = Some(map.next_value::<Value>()?),
                "ok" => {
                    map.next_value::<IgnoredAny>()?;
                    ok = true;
                }
                "data" => {
                    map.next_value::<IgnoredAny>()?;
                    data = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // The same order of preference as `json_document`.
        Ok(match (weibo, result) {
            ((seen, Some(len)), _) => Shape::Posts {
                key: PostsKey::Weibo,
                nth: seen - 1,
                len,
                user,
            },
            ((_, None), (seen, Some(len))) => Shape::Posts {
                key: PostsKey::Result,
                nth: seen - 1,
                len,
                user,
            },
            _ if ok && data => Shape::GetIndex,
            _ => Shape::Other,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Other)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
}

/// The top-level object of the second pass: the posts array is walked, the rest skipped.
struct Posts<'a, F> {
    key: PostsKey,
    nth: usize,
    each: &'a mut F,
}

impl<'de, F: FnMut(usize, Value) -> Result<(), String>> Visitor<'de> for Posts<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with `{}`", self.key.name())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = 0;
        while let Some(k) = map.next_key::<String>()? {
            if k == self.key.name() && seen == self.nth {
                seen += 1;
                map.next_value_seed(Elements {
                    each: &mut *self.each,
                })?;
            } else {
                if k == self.key.name() {
                    seen += 1;
                }
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The posts array, one element at a time.
struct Elements<'a, F> {
    each: &'a mut F,
}

impl<'de, F: FnMut(usize, Value) -> Result<(), String>> DeserializeSeed<'de> for Elements<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(usize, Value) -> Result<(), String>> Visitor<'de> for Elements<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of posts")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(v) = seq.next_element::<Value>()? {
            (self.each)(i, v).map_err(A::Error::custom)?;
            i += 1;
        }
        Ok(())
    }
}

/// Opens `path` for a pass: buffered, past a UTF-8 byte order mark.
pub(super) fn reader(path: &Path) -> std::io::Result<std::io::BufReader<std::fs::File>> {
    use std::io::BufRead;
    let mut r = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    if r.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        r.consume(3);
    }
    Ok(r)
}
