//! The event input of `adl run`: NDJSON, a JSON array, one object, or
//! pretty-printed objects one after another, from a file or standard input.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use adl_runtime::{Envelope, EnvelopeError, EnvelopeReader, EventInput, RawEnvelope};
use tokio::sync::mpsc;

use super::MAX_IN_FLIGHT;
use crate::exit;
use crate::input::io_reason;

/// One item of the event input.
pub enum Input {
    /// Input number `index`: an envelope, or why this JSON is not an event.
    Event(usize, Result<Envelope, EnvelopeError>),
    /// Input number `index` is not JSON text (not JSON, or not UTF-8).
    Unreadable(usize, String),
    /// The input could not be read any further.
    Failed(String),
}

/// Inputs handed from the reading thread to the runtime at once: one wake-up
/// per batch rather than per event. Also how many events at most share one
/// text (see [`InputReader`]).
const BATCH: usize = 256;

/// Past this many bytes of text, the events read so far share it at once.
const BATCH_TEXT: usize = 1 << 20;

/// Read buffer: large enough that a file is read in few system calls.
const READ_BUFFER: usize = 1 << 16;

/// The event input. Normally it is read and parsed on a thread of its own,
/// alongside dispatch, and handed over in batches; a batch is sent early
/// whenever reading would wait, so events typed on standard input are
/// dispatched at once. With a paused clock (`ADL_NOW`) a file is read on the
/// runtime's thread instead, so that such a run is reproducible to the line:
/// the clock cannot run ahead while the runtime waits for the reader.
///
/// A batch, emptied, goes back to the reading thread to carry the next: the
/// reading thread writes into memory it wrote before rather than into a
/// fresh allocation per batch, freed on the other thread.
pub enum Inputs {
    Inline(Box<InputReader<BufReader<std::fs::File>>>),
    Thread {
        receiver: mpsc::Receiver<Vec<Input>>,
        batch: VecDeque<Input>,
        /// Emptied batches going back to the reading thread.
        spent: std::sync::mpsc::Sender<Vec<Input>>,
    },
}

impl Inputs {
    pub fn open(path: &Path, inline: bool) -> Result<Self, u8> {
        if path.as_os_str() == "-" {
            return Ok(Self::on_thread(std::io::stdin()));
        }
        match std::fs::File::open(path) {
            Ok(file) if inline => Ok(Inputs::Inline(Box::new(InputReader::new(
                BufReader::with_capacity(READ_BUFFER, file),
            )))),
            Ok(file) => Ok(Self::on_thread(file)),
            Err(error) => {
                eprintln!(
                    "adl: cannot read `{}`: {}",
                    path.display(),
                    io_reason(&error)
                );
                Err(exit::USAGE)
            }
        }
    }

    fn on_thread(source: impl Read + Send + 'static) -> Self {
        let (sender, receiver) = mpsc::channel(MAX_IN_FLIGHT / BATCH);
        let (spent, returned) = std::sync::mpsc::channel::<Vec<Input>>();
        std::thread::spawn(move || {
            let mut reader = InputReader::new(BufReader::with_capacity(READ_BUFFER, source));
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(input) = reader.next() {
                batch.push(input);
                if batch.len() >= BATCH || reader.would_wait() {
                    let next = returned
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    let full = std::mem::replace(&mut batch, next);
                    if sender.blocking_send(full).is_err() {
                        return;
                    }
                }
            }
            if !batch.is_empty() {
                let _ = sender.blocking_send(batch);
            }
        });
        Inputs::Thread {
            receiver,
            batch: VecDeque::new(),
            spent,
        }
    }

    pub async fn next(&mut self) -> Option<Input> {
        match self {
            Inputs::Inline(reader) => reader.next(),
            Inputs::Thread {
                receiver,
                batch,
                spent,
            } => loop {
                if let Some(input) = batch.pop_front() {
                    return Some(input);
                }
                let arrived = receiver.recv().await?;
                // Emptied, the batch goes back (once reading has stopped, it is freed here).
                let _ = spent.send(Vec::from(std::mem::replace(batch, VecDeque::from(arrived))));
            },
        }
    }
}

/// Events from NDJSON, a JSON array (its elements are the events), one object,
/// or pretty-printed objects one after another. A value that is not JSON, or a
/// line that is not UTF-8, is reported and reading resumes at the next line.
///
/// The strings of the events read together (up to a batch, or until reading
/// on would wait) are kept in one text they share: the events of a batch
/// cost one allocation, made and, when the last of them is dropped, freed
/// once. Events each with strings of their own, made on this thread and
/// freed on the runtime's, cost both threads a third of their time in the
/// allocator handing memory back.
pub struct InputReader<R> {
    reader: R,
    /// A line that the read buffer does not hold whole, reused from line to line.
    buffer: Vec<u8>,
    lines: Lines,
}

/// What the lines read so far have made: the inputs not yet handed out.
#[derive(Default)]
struct Lines {
    line: usize,
    splitter: ValueSplitter,
    index: usize,
    envelopes: EnvelopeReader,
    /// Inputs read whose text is not shared yet.
    pending: VecDeque<Pending>,
    /// Inputs ready to be handed out.
    ready: VecDeque<Input>,
    done: bool,
}

enum Pending {
    Event(usize, Result<RawEnvelope, EnvelopeError>),
    Other(Input),
}

/// A source of input that can tell whether reading on would wait.
pub trait Source: BufRead {
    /// Whether read bytes are at hand: reading on does not wait.
    fn holds_bytes(&self) -> bool;
}

impl<R: Read> Source for BufReader<R> {
    fn holds_bytes(&self) -> bool {
        !self.buffer().is_empty()
    }
}

/// Text in memory (the tests' input): reading it never waits.
#[cfg(test)]
impl Source for &[u8] {
    fn holds_bytes(&self) -> bool {
        true
    }
}

impl<R: Source> InputReader<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            buffer: Vec::new(),
            lines: Lines::default(),
        }
    }

    /// Whether the next item needs another read from the source (which may wait).
    fn would_wait(&self) -> bool {
        self.lines.ready.is_empty() && self.lines.pending.is_empty() && !self.reader.holds_bytes()
    }

    /// Whether the inputs read so far are handed out now: a batch is full,
    /// the input has ended, or reading on would wait.
    fn batch_is_due(&self) -> bool {
        let lines = &self.lines;
        !lines.pending.is_empty()
            && (lines.done
                || lines.pending.len() >= BATCH
                || lines.envelopes.held() >= BATCH_TEXT
                || !self.reader.holds_bytes())
    }
}

impl Lines {
    fn take_index(&mut self) -> usize {
        self.index += 1;
        self.index - 1
    }

    /// The pending inputs made ready, their events sharing the text read.
    fn share(&mut self) {
        let shared = self.envelopes.freeze();
        self.ready
            .extend(self.pending.drain(..).map(|pending| match pending {
                Pending::Event(index, raw) => Input::Event(index, shared.envelope(raw)),
                Pending::Other(input) => input,
            }));
    }

    fn push(&mut self, input: Input) {
        self.pending.push_back(Pending::Other(input));
    }

    fn parse(&mut self, text: &str, line: usize) {
        match self.envelopes.read(text) {
            Ok(value) => self.push_value(value),
            Err(error) => self.push_unreadable(line, &error),
        }
    }

    fn push_value(&mut self, value: EventInput<RawEnvelope>) {
        match value {
            EventInput::Batch(items) => {
                for item in items {
                    let index = self.take_index();
                    self.pending.push_back(Pending::Event(index, item));
                }
            }
            EventInput::Single(event) => {
                let index = self.take_index();
                self.pending.push_back(Pending::Event(index, event));
            }
        }
    }

    fn push_unreadable(&mut self, line: usize, error: &serde_json::Error) {
        let index = self.take_index();
        self.push(Input::Unreadable(
            index,
            format!("not JSON (line {line}): {error}"),
        ));
    }

    fn read_line(&mut self, line: &str) {
        // A long line gets a text of its own: the events before it do not
        // wait for it, nor share the fate of one too large to be read.
        if line.len() >= BATCH_TEXT && self.envelopes.held() > 0 {
            self.share();
        }
        // NDJSON fast path: a line that is a whole value needs no scanning.
        if self.splitter.is_empty() && !line.trim().is_empty() {
            match self.envelopes.read(line) {
                Ok(value) => return self.push_value(value),
                // A value that goes on over the next lines.
                Err(error) if error.is_eof() => {}
                Err(error) => return self.push_unreadable(self.line, &error),
            }
        }
        if let Some((text, first)) = self.splitter.push(line, self.line) {
            self.parse(&text, first);
        }
    }

    /// A line that is not UTF-8 is rejected on its own (reading goes on at the
    /// next line), and so is a value it cuts short.
    fn not_utf8(&mut self, column: usize) {
        let line = self.line;
        if let Some((_, first)) = self.splitter.finish() {
            let index = self.take_index();
            self.push(Input::Unreadable(
                index,
                format!("not JSON (line {first}): cut short by line {line}, which is not UTF-8"),
            ));
        }
        let index = self.take_index();
        self.push(Input::Unreadable(
            index,
            format!("not UTF-8 (line {line}): invalid byte at column {column}"),
        ));
    }

    /// Reading failed: what was read comes first, then why it stopped.
    fn failed(&mut self, error: &std::io::Error) {
        self.done = true;
        self.push(Input::Failed(io_reason(error)));
    }
}

impl<R: Source> Iterator for InputReader<R> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(input) = self.lines.ready.pop_front() {
                return Some(input);
            }
            if self.batch_is_due() {
                self.lines.share();
                continue;
            }
            if self.lines.done {
                return None;
            }
            // A line the read buffer holds whole is read where it lies;
            // one that goes on past it is gathered in `buffer`.
            let held = match self.reader.fill_buf() {
                Ok(held) => held,
                Err(error) => {
                    self.lines.failed(&error);
                    continue;
                }
            };
            if held.is_empty() {
                self.lines.end();
                continue;
            }
            if let Some(end) = memchr::memchr(b'\n', held) {
                self.lines.read_bytes(&held[..end]);
                self.reader.consume(end + 1);
                continue;
            }
            let mut buffer = std::mem::take(&mut self.buffer);
            buffer.clear();
            match self.reader.read_until(b'\n', &mut buffer) {
                Ok(0) => self.lines.end(),
                Ok(_) => self
                    .lines
                    .read_bytes(buffer.strip_suffix(b"\n").unwrap_or(&buffer)),
                Err(error) => self.lines.failed(&error),
            }
            self.buffer = buffer;
        }
    }
}

impl Lines {
    /// The end of input: a value still open is cut short.
    fn end(&mut self) {
        self.done = true;
        if let Some((text, first)) = self.splitter.finish() {
            self.parse(&text, first);
        }
    }

    /// One line, without its `\n`.
    fn read_bytes(&mut self, bytes: &[u8]) {
        self.line += 1;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(line) => self.read_line(line),
            Err(error) => {
                // Columns count characters, as in diagnostics.
                let valid = &bytes[..error.valid_up_to()];
                let column = std::str::from_utf8(valid).map_or(1, |t| t.chars().count() + 1);
                self.not_utf8(column);
            }
        }
    }
}

/// Groups lines into JSON values by bracket depth (strings and escapes
/// respected), so a value may span lines and several may follow each other.
#[derive(Debug, Default)]
struct ValueSplitter {
    buffer: String,
    first_line: usize,
    depth: i64,
    in_string: bool,
    escaped: bool,
}

impl ValueSplitter {
    fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// Adds a line; returns a complete value's text and first line number.
    fn push(&mut self, line: &str, number: usize) -> Option<(String, usize)> {
        if self.buffer.is_empty() {
            if line.trim().is_empty() {
                return None;
            }
            self.first_line = number;
        } else {
            self.buffer.push('\n');
        }
        self.buffer.push_str(line);
        for c in line.chars() {
            if self.in_string {
                match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, '\\') => self.escaped = true,
                    (false, '"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_string = true,
                '{' | '[' => self.depth += 1,
                '}' | ']' => self.depth -= 1,
                _ => {}
            }
        }
        // A string cannot span lines in JSON: a line ending inside one is broken.
        if self.depth <= 0 || self.in_string {
            return Some(self.take());
        }
        None
    }

    fn finish(&mut self) -> Option<(String, usize)> {
        if self.buffer.trim().is_empty() {
            None
        } else {
            Some(self.take())
        }
    }

    fn take(&mut self) -> (String, usize) {
        let text = std::mem::take(&mut self.buffer);
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
        (text, self.first_line)
    }
}

#[cfg(test)]
mod tests {
    use super::ValueSplitter;

    fn split(text: &str) -> Vec<String> {
        let mut splitter = ValueSplitter::default();
        let mut out: Vec<String> = text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| splitter.push(line, i + 1).map(|(t, _)| t))
            .collect();
        out.extend(splitter.finish().map(|(t, _)| t));
        out
    }

    #[test]
    fn ndjson_pretty_objects_and_arrays() {
        assert_eq!(
            split("{\"a\":1}\n\n{\"b\":\"}\"}\n"),
            ["{\"a\":1}", "{\"b\":\"}\"}"]
        );
        assert_eq!(
            split("{\n  \"a\": [1,\n 2]\n}\n[\n{}]"),
            ["{\n  \"a\": [1,\n 2]\n}", "[\n{}]"]
        );
        assert_eq!(
            split("{\"s\": \"\\\"{\"}\nnot json\n{}"),
            ["{\"s\": \"\\\"{\"}", "not json", "{}"]
        );
    }

    /// Bad input (not UTF-8, not JSON, a value cut short) is reported the same
    /// whether its line lies whole in the read buffer or runs past its end.
    #[test]
    fn bad_lines_read_the_same_through_any_buffer() {
        use super::{Input, InputReader};

        let text: &[u8] = b"{\"event_type\": \"a\"}\r\n{\"event_type\": \"\xff\"}\nnot json\n{\"event_type\":\n\xc3\n[{\"event_type\": \"b\"}, 3]\n{\"event_type\": \"c\"";
        let describe = |input: Input| match input {
            Input::Event(index, Ok(envelope)) => format!("{index} event {}", envelope.event_type),
            Input::Event(index, Err(error)) => format!("{index} invalid {}", error.0),
            Input::Unreadable(index, reason) => format!("{index} unreadable {reason}"),
            Input::Failed(reason) => format!("failed {reason}"),
        };
        let whole: Vec<_> = InputReader::new(text).map(describe).collect();
        assert_eq!(
            whole,
            [
                "0 event a",
                "1 unreadable not UTF-8 (line 2): invalid byte at column 17",
                "2 unreadable not JSON (line 3): expected ident at line 1 column 2",
                "3 unreadable not JSON (line 4): cut short by line 5, which is not UTF-8",
                "4 unreadable not UTF-8 (line 5): invalid byte at column 1",
                "5 event b",
                "6 invalid an event must be a JSON object, found a number",
                "7 unreadable not JSON (line 7): EOF while parsing an object at line 1 column 18",
            ]
        );
        for capacity in 1..48 {
            let small = std::io::BufReader::with_capacity(capacity, text);
            let read: Vec<_> = InputReader::new(small).map(describe).collect();
            assert_eq!(read, whole, "buffer of {capacity} bytes");
        }
    }

    /// Any sequence of JSON values, each starting on its own line, compact or
    /// pretty-printed, with blank lines and CRLF line ends between them, is
    /// read as exactly those values in order: the NDJSON fast path and the
    /// multi-line splitter together lose, merge or split nothing.
    #[test]
    fn every_stream_of_values_reads_back_value_by_value() {
        use serde_json::{Value, json};

        use super::{Input, InputReader};
        use adl_runtime::Envelope;

        let mut rng = adl_bench::Rng::new(0x00AD_5EED);
        let mut next = move |bound: u64| rng.below(bound);
        let strings = ["", "}", "{[", "a\"b", "line\nbreak", "ping", "tab\there"];
        for _ in 0..200 {
            let mut text = String::new();
            let mut expected = Vec::new();
            for _ in 0..next(12) {
                let event = |n: u64| {
                    json!({
                        "event_type": strings[(n % 7) as usize],
                        "id": format!("e{n}"),
                        "data": {"s": strings[(n / 7 % 7) as usize], "list": [n, {"deep": [n]}]},
                    })
                };
                let value = match next(5) {
                    0 => Value::Array((0..next(4)).map(|_| event(next(1000))).collect()),
                    1 => json!(strings[next(7) as usize]),
                    _ => event(next(1000)),
                };
                let written = if next(2) == 0 {
                    value.to_string()
                } else {
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                };
                let ending = ["\n", "\r\n", "\n\n", "\n  \n"][next(4) as usize];
                text.push_str(&written.replace('\n', ending));
                text.push_str(ending);
                match value {
                    Value::Array(items) => {
                        expected.extend(items.into_iter().map(Envelope::from_value));
                    }
                    other => expected.push(Envelope::from_value(other)),
                }
            }
            let envelope = |input| match input {
                Input::Event(_, envelope) => envelope,
                Input::Unreadable(_, reason) | Input::Failed(reason) => {
                    panic!("{reason} in\n{text}")
                }
            };
            let read: Vec<_> = InputReader::new(text.as_bytes()).map(envelope).collect();
            assert_eq!(read, expected, "{text}");
            // Lines read where they lie in the read buffer and lines that go
            // on past its end (gathered) read the same.
            let capacity = 1 + usize::try_from(next(48)).unwrap_or(1);
            let small = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            let read: Vec<_> = InputReader::new(small).map(envelope).collect();
            assert_eq!(read, expected, "buffer of {capacity} bytes:\n{text}");
        }
    }
}

#[cfg(test)]
mod sharing {
    use adl_runtime::ArcStr;

    use super::{BATCH, BATCH_TEXT, Input, InputReader};

    /// How many events each shared text holds, in order.
    fn texts(text: &str) -> Vec<usize> {
        let mut counts: Vec<(ArcStr, usize)> = Vec::new();
        for input in InputReader::new(text.as_bytes()) {
            let Input::Event(_, Ok(envelope)) = input else {
                panic!("every line is an event")
            };
            let parent = envelope.event_type.parent().clone();
            match counts.last_mut() {
                Some((last, count)) if ArcStr::ptr_eq(last, &parent) => *count += 1,
                _ => counts.push((parent, 1)),
            }
        }
        counts.into_iter().map(|(_, count)| count).collect()
    }

    /// Events read together share one text, a batch at most: the text is
    /// freed once its last event goes, and no text outgrows a batch.
    #[test]
    fn events_share_a_text_per_batch() {
        let line = |n: usize| format!("{{\"event_type\": \"t{n}\", \"data\": {{\"n\": {n}}}}}\n");
        let stream: String = (0..600).map(line).collect();
        assert_eq!(texts(&stream), [BATCH, BATCH, 600 - 2 * BATCH]);
        // Large events: a text is shared once it passes its size.
        let big = "x".repeat(BATCH_TEXT / 4);
        let large: String = (0..10)
            .flat_map(|n| {
                [
                    "{\"event_type\": \"t",
                    &n.to_string(),
                    "\", \"data\": \"",
                    &big,
                    "\"}\n",
                ]
                .map(str::to_owned)
            })
            .collect();
        assert_eq!(texts(&large), [4, 4, 2]);
        // A line of a batch's size or more gets a text of its own.
        let huge = "x".repeat(BATCH_TEXT);
        let mixed = format!(
            "{}{}{{\"event_type\": \"big\", \"data\": \"{huge}\"}}\n{}",
            line(0),
            line(1),
            line(2)
        );
        assert_eq!(texts(&mixed), [2, 1, 1]);
    }
}
