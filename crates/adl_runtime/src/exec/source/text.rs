//! Events read from JSON text: NDJSON, a JSON array, one object, or
//! pretty-printed objects one after another (what `adl run` reads from a
//! file or standard input).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};

use tokio::sync::mpsc;

use super::{EventSource, SourceBatch, SourceError};
use crate::event::{Envelope, EnvelopeError, EnvelopeReader, EventInput, RawEnvelope};
use crate::exec::{BoxFuture, Rejection};

/// One item of the event input.
enum Input {
    /// Input number `index`: an envelope, or why this JSON is not an event.
    Event(usize, Result<Envelope, EnvelopeError>),
    /// Input number `index` is not JSON text (not JSON, or not UTF-8).
    Unreadable(usize, String),
    /// The input could not be read any further.
    Failed(std::io::Error),
}

/// Inputs handed from the reading thread to the runtime at once: one wake-up
/// per batch rather than per event. Also how many events at most share one
/// text (see [`InputReader`]).
const BATCH: usize = 256;

/// Past this many bytes of text, the events read so far share it at once.
const BATCH_TEXT: usize = 1 << 20;

/// Batches read ahead of dispatch, at most.
const READ_AHEAD: usize = 4;

/// Read buffer: large enough that a file is read in few system calls.
const READ_BUFFER: usize = 1 << 16;

/// Events read from JSON text, handed out in batches: the inputs read
/// together (at most 256, or until reading on would wait), dispatched and
/// stored as one group. Inputs are numbered from 0 in the order read; a
/// value that is not JSON, or not an event, is an input too, answered with
/// its rejection. Nothing is settled: a text's lines need no
/// acknowledgement.
///
/// [`TextSource::spawn`] reads and parses on a thread of its own, alongside
/// dispatch; a batch is sent early whenever reading would wait, so events
/// typed on standard input are dispatched at once. [`TextSource::inline`]
/// reads when a batch is asked for, on the caller's task, so that a run on a
/// paused clock is reproducible to the line: the clock cannot run ahead
/// while the runtime waits for the reader.
///
/// A batch's vector, emptied, goes back to the reading thread to carry the
/// next: the reading thread writes into memory it wrote before rather than
/// into a fresh allocation per batch, freed on the other thread.
pub struct TextSource {
    reading: Reading,
    /// A read failure, reported after the inputs read before it.
    failed: Option<std::io::Error>,
}

enum Reading {
    Inline(Box<InputReader<BufReader<Box<dyn Read + Send>>>>),
    Thread {
        receiver: mpsc::Receiver<Group>,
        /// Emptied groups going back to the reading thread.
        spent: std::sync::mpsc::Sender<Vec<Input>>,
    },
}

impl std::fmt::Debug for TextSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let on = match self.reading {
            Reading::Inline(_) => "inline",
            Reading::Thread { .. } => "thread",
        };
        f.debug_struct("TextSource")
            .field("reading", &on)
            .field("failed", &self.failed)
            .finish()
    }
}

/// Inputs read together, and the bytes of input text they were read from.
struct Group {
    inputs: Vec<Input>,
    bytes: usize,
}

impl TextSource {
    /// Reads `text` on a thread of its own. `max_bytes`: the longest line
    /// (or multi-line value) read; a longer one is rejected without being
    /// held in memory.
    pub fn spawn(text: impl Read + Send + 'static, max_bytes: usize) -> Self {
        let (sender, receiver) = mpsc::channel(READ_AHEAD);
        let (spent, returned) = std::sync::mpsc::channel::<Vec<Input>>();
        std::thread::spawn(move || {
            let mut reader =
                InputReader::new(BufReader::with_capacity(READ_BUFFER, text), max_bytes);
            loop {
                let inputs = returned
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                let Some(group) = reader.next_group(inputs) else {
                    return;
                };
                if sender.blocking_send(group).is_err() {
                    return;
                }
            }
        });
        Self::new(Reading::Thread { receiver, spent })
    }

    /// Reads `text` when a batch is asked for, on the caller's task.
    pub fn inline(text: impl Read + Send + 'static, max_bytes: usize) -> Self {
        let text: Box<dyn Read + Send> = Box::new(text);
        Self::new(Reading::Inline(Box::new(InputReader::new(
            BufReader::with_capacity(READ_BUFFER, text),
            max_bytes,
        ))))
    }

    fn new(reading: Reading) -> Self {
        Self {
            reading,
            failed: None,
        }
    }

    /// The next group of inputs; `None` at the end of the input.
    async fn next_group(&mut self) -> Option<Group> {
        match &mut self.reading {
            Reading::Inline(reader) => reader.next_group(Vec::with_capacity(BATCH)),
            Reading::Thread { receiver, .. } => receiver.recv().await,
        }
    }

    /// Gives back a group's vector, emptied, for a later group.
    fn recycle(&self, mut inputs: Vec<Input>) {
        if let Reading::Thread { spent, .. } = &self.reading {
            inputs.clear();
            // Once reading has stopped, it is freed here.
            let _ = spent.send(inputs);
        }
    }
}

impl EventSource for TextSource {
    fn next_batch(&mut self) -> BoxFuture<'_, Option<Result<SourceBatch, SourceError>>> {
        Box::pin(async move {
            if let Some(error) = self.failed.take() {
                return Some(Err(SourceError::caused_by(
                    format!("cannot read the input: {error}"),
                    error,
                )));
            }
            let read = self.next_group().await?;
            let mut inputs = Vec::with_capacity(read.inputs.len());
            let mut spent = read.inputs;
            for input in spent.drain(..) {
                match input {
                    Input::Event(index, envelope) => inputs.push((
                        index,
                        envelope.map_err(|error| Rejection::InvalidEnvelope(error.0)),
                    )),
                    Input::Unreadable(index, reason) => {
                        inputs.push((index, Err(Rejection::Unreadable(reason))));
                    }
                    Input::Failed(error) => self.failed = Some(error),
                }
            }
            self.recycle(spent);
            Some(Ok(SourceBatch {
                inputs,
                messages: Vec::new(),
                bytes: read.bytes,
            }))
        })
    }
}

/// Events from NDJSON, a JSON array (its elements are the events), one object,
/// or pretty-printed objects one after another. A value that is not JSON, or a
/// line that is not UTF-8, is reported and reading resumes at the next line.
///
/// The framing is decided once, by the first line that is not blank: a line
/// that is a whole value (or no JSON at all) makes the input NDJSON, and then
/// every line is one value on its own: a torn line costs that line only. A
/// first line that opens a value and does not close it makes the input
/// multi-line (pretty-printed values, an array over many lines): values are
/// then gathered across lines by bracket depth, and one cut short is given up
/// at the line where a new value must be starting (see [`ValueSplitter`]).
/// A line, or a multi-line value, past `max_bytes` is rejected and skipped
/// without being held in memory.
///
/// The strings of the events read together (up to a batch, or until reading
/// on would wait) are kept in one text they share: the events of a batch
/// cost one allocation, made and, when the last of them is dropped, freed
/// once. Events each with strings of their own, made on this thread and
/// freed on the runtime's, cost both threads a third of their time in the
/// allocator handing memory back.
struct InputReader<R> {
    reader: R,
    /// A line that the read buffer does not hold whole, reused from line to line.
    buffer: Vec<u8>,
    lines: Lines,
    /// Bytes of the lines read (and kept) since the last group was handed out.
    bytes: usize,
}

/// What the lines read so far have made: the inputs not yet handed out.
#[derive(Default)]
struct Lines {
    line: usize,
    framing: Framing,
    /// The longest line or multi-line value read.
    max_bytes: usize,
    splitter: ValueSplitter,
    index: usize,
    envelopes: EnvelopeReader,
    /// Inputs read whose text is not shared yet.
    pending: VecDeque<Pending>,
    /// Inputs ready to be handed out.
    ready: VecDeque<Input>,
    done: bool,
}

/// How the input's values are framed: decided by its first line that is not blank.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Framing {
    #[default]
    Undecided,
    /// NDJSON: every line is a value of its own.
    Lines,
    /// Values may span lines (pretty-printed, or an array over many lines).
    MultiLine,
}

enum Pending {
    Event(usize, Result<RawEnvelope, EnvelopeError>),
    Other(Input),
}

/// A source of input that can tell whether reading on would wait.
trait Source: BufRead {
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
    fn new(reader: R, max_bytes: usize) -> Self {
        Self {
            reader,
            buffer: Vec::new(),
            bytes: 0,
            lines: Lines {
                max_bytes,
                ..Lines::default()
            },
        }
    }

    /// The inputs read until a batch is full or reading on would wait, in
    /// `inputs` (empty); `None` at the end of the input.
    fn next_group(&mut self, mut inputs: Vec<Input>) -> Option<Group> {
        while let Some(input) = self.next() {
            inputs.push(input);
            if inputs.len() >= BATCH || self.would_wait() {
                break;
            }
        }
        if inputs.is_empty() {
            return None;
        }
        let bytes = std::mem::take(&mut self.bytes);
        Some(Group { inputs, bytes })
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
        if self.framing == Framing::Lines {
            if !line.trim().is_empty() {
                self.parse(line, self.line);
            }
            return;
        }
        if !self.splitter.is_empty() && !self.splitter.continues_with(line) {
            self.cut_short("where a new value starts");
        }
        // A line that is a whole value needs no scanning.
        if self.splitter.is_empty() && !line.trim().is_empty() {
            match self.envelopes.read(line) {
                Ok(value) => {
                    self.decide(Framing::Lines);
                    return self.push_value(value);
                }
                // A value that goes on over the next lines.
                Err(error) if error.is_eof() => self.decide(Framing::MultiLine),
                Err(error) => {
                    self.decide(Framing::Lines);
                    return self.push_unreadable(self.line, &error);
                }
            }
        }
        if let Some((text, first)) = self.splitter.push(line, self.line) {
            self.parse(&text, first);
        } else if self.splitter.len() > self.max_bytes {
            let first = self.splitter.give_up();
            let index = self.take_index();
            self.push(Input::Unreadable(
                index,
                format!(
                    "too long (line {first}): the value starting here is longer than {} bytes, \
                     the input limit (--max-input-bytes)",
                    self.max_bytes
                ),
            ));
        }
    }

    /// The framing, if not decided yet.
    fn decide(&mut self, framing: Framing) {
        if self.framing == Framing::Undecided {
            self.framing = framing;
        }
    }

    /// The value being gathered is rejected: it was cut short (`how`).
    fn cut_short(&mut self, how: &str) {
        if let Some((_, first)) = self.splitter.finish() {
            let line = self.line;
            let index = self.take_index();
            self.push(Input::Unreadable(
                index,
                format!("not JSON (line {first}): cut short by line {line}, {how}"),
            ));
        }
    }

    /// A line longer than the limit: rejected, its text never held.
    fn too_long(&mut self) {
        self.line += 1;
        self.decide(Framing::Lines);
        self.cut_short("which is too long");
        let index = self.take_index();
        self.push(Input::Unreadable(
            index,
            format!(
                "too long (line {}): longer than {} bytes, the input limit (--max-input-bytes)",
                self.line, self.max_bytes
            ),
        ));
    }

    /// A line that is not UTF-8 is rejected on its own (reading goes on at the
    /// next line), and so is a value it cuts short.
    fn not_utf8(&mut self, column: usize) {
        let line = self.line;
        self.cut_short("which is not UTF-8");
        let index = self.take_index();
        self.push(Input::Unreadable(
            index,
            format!("not UTF-8 (line {line}): invalid byte at column {column}"),
        ));
    }

    /// Reading failed: what was read comes first, then why it stopped.
    fn failed(&mut self, error: std::io::Error) {
        self.done = true;
        self.push(Input::Failed(error));
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
                    self.lines.failed(error);
                    continue;
                }
            };
            if held.is_empty() {
                self.lines.end();
                continue;
            }
            if let Some(end) = memchr::memchr(b'\n', held) {
                if end > self.lines.max_bytes {
                    self.lines.too_long();
                } else {
                    self.lines.read_bytes(&held[..end]);
                    self.bytes += end + 1;
                }
                self.reader.consume(end + 1);
                continue;
            }
            let mut buffer = std::mem::take(&mut self.buffer);
            buffer.clear();
            match read_line_within(&mut self.reader, &mut buffer, self.lines.max_bytes) {
                Ok(Line::End) => self.lines.end(),
                Ok(Line::Read) => {
                    self.lines.read_bytes(&buffer);
                    self.bytes += buffer.len() + 1;
                }
                Ok(Line::TooLong) => self.lines.too_long(),
                Err(error) => self.lines.failed(error),
            }
            self.buffer = buffer;
        }
    }
}

/// What [`read_line_within`] found.
enum Line {
    /// A line (without its `\n`), in the buffer.
    Read,
    /// A line longer than the limit, read past and not kept.
    TooLong,
    /// The end of input.
    End,
}

/// Reads a line into `buffer`, keeping at most `max_bytes` of it: a longer
/// line is read to its end and dropped, so memory stays bounded whatever the
/// input.
fn read_line_within(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max_bytes: usize,
) -> std::io::Result<Line> {
    let (mut read, mut too_long) = (false, false);
    loop {
        let held = match reader.fill_buf() {
            Ok(held) => held,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if held.is_empty() {
            break;
        }
        read = true;
        let (part, used, ended) = match memchr::memchr(b'\n', held) {
            Some(end) => (&held[..end], end + 1, true),
            None => (held, held.len(), false),
        };
        if buffer.len() + part.len() > max_bytes {
            too_long = true;
            buffer.clear();
        } else if !too_long {
            buffer.extend_from_slice(part);
        }
        reader.consume(used);
        if ended {
            break;
        }
    }
    Ok(match (read, too_long) {
        (false, _) => Line::End,
        (true, true) => Line::TooLong,
        (true, false) => Line::Read,
    })
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
///
/// It also knows where a value cut short must have ended: a line that
/// starts with `{` or `[` where JSON allows no such thing (after a complete
/// value, or after a `,` between an object's members) cannot continue the
/// value gathered so far, so that value was cut short and a new one starts.
/// JSON never puts a bracket there, so no valid input is split by this.
#[derive(Debug, Default)]
struct ValueSplitter {
    buffer: String,
    first_line: usize,
    /// The open brackets, innermost last.
    open: Vec<u8>,
    /// The last character outside strings that is not whitespace.
    last: Option<char>,
    in_string: bool,
    escaped: bool,
    /// Past the size limit: the value is read to its end without keeping it.
    skipping: bool,
}

impl ValueSplitter {
    /// Whether no value is being gathered (or skipped).
    fn is_empty(&self) -> bool {
        self.buffer.is_empty() && !self.skipping
    }

    /// The bytes gathered.
    fn len(&self) -> usize {
        self.buffer.len()
    }

    /// Whether `line` can go on with the value being gathered.
    fn continues_with(&self, line: &str) -> bool {
        if self.in_string {
            return true;
        }
        match line.trim_start().chars().next() {
            Some('{' | '[') => match self.last {
                Some(':') => true,
                Some(',' | '[') => self.open.last() == Some(&b'['),
                _ => false,
            },
            _ => true,
        }
    }

    /// Adds a line; returns a complete value's text and first line number
    /// (none for a value being skipped).
    fn push(&mut self, line: &str, number: usize) -> Option<(String, usize)> {
        if self.is_empty() {
            if line.trim().is_empty() {
                return None;
            }
            self.first_line = number;
        } else if !self.skipping {
            self.buffer.push('\n');
        }
        if !self.skipping {
            self.buffer.push_str(line);
        }
        let mut closed = false;
        for c in line.chars() {
            if self.in_string {
                match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, '\\') => self.escaped = true,
                    (false, '"') => {
                        self.in_string = false;
                        self.last = Some('"');
                    }
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_string = true,
                '{' => self.open.push(b'{'),
                '[' => self.open.push(b'['),
                '}' | ']' => closed |= self.open.pop().is_none() || self.open.is_empty(),
                _ => {}
            }
            if !c.is_whitespace() {
                self.last = Some(c);
            }
        }
        // A string cannot span lines in JSON: a line ending inside one is broken.
        if self.open.is_empty() || closed || self.in_string {
            let skipped = self.skipping;
            let taken = self.take();
            return (!skipped).then_some(taken);
        }
        None
    }

    /// The value being gathered is too long: it is read on to its end
    /// without being kept. Returns its first line.
    fn give_up(&mut self) -> usize {
        self.buffer = String::new();
        self.skipping = true;
        self.first_line
    }

    /// The value being gathered, cut short here (none if it was skipped).
    fn finish(&mut self) -> Option<(String, usize)> {
        let skipped = self.skipping;
        if self.is_empty() || self.buffer.trim().is_empty() {
            self.take();
            return None;
        }
        let taken = self.take();
        (!skipped).then_some(taken)
    }

    fn take(&mut self) -> (String, usize) {
        let text = std::mem::take(&mut self.buffer);
        self.open.clear();
        self.last = None;
        self.in_string = false;
        self.escaped = false;
        self.skipping = false;
        (text, self.first_line)
    }
}

#[cfg(test)]
mod tests {
    use super::ValueSplitter;

    /// The input limit of the tests that do not test it.
    const LIMIT: usize = 16 << 20;

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
        let whole: Vec<_> = InputReader::new(text, LIMIT).map(describe).collect();
        assert_eq!(
            whole,
            [
                "0 event a",
                "1 unreadable not UTF-8 (line 2): invalid byte at column 17",
                "2 unreadable not JSON (line 3): expected ident at line 1 column 2",
                // NDJSON: a line that does not close its value is rejected alone.
                "3 unreadable not JSON (line 4): EOF while parsing a value at line 1 column 14",
                "4 unreadable not UTF-8 (line 5): invalid byte at column 1",
                "5 event b",
                "6 invalid an event must be a JSON object, found a number",
                "7 unreadable not JSON (line 7): EOF while parsing an object at line 1 column 18",
            ]
        );
        for capacity in 1..48 {
            let small = std::io::BufReader::with_capacity(capacity, text);
            let read: Vec<_> = InputReader::new(small, LIMIT).map(describe).collect();
            assert_eq!(read, whole, "buffer of {capacity} bytes");
        }
    }

    /// Any sequence of JSON values, each starting on its own line, is read as
    /// exactly those values in order: NDJSON (one compact value a line, blank
    /// lines and CRLF between them), or multi-line input that starts with a
    /// pretty-printed value and goes on with values compact or pretty. The
    /// NDJSON fast path and the multi-line splitter together lose, merge or
    /// split nothing.
    #[test]
    fn every_stream_of_values_reads_back_value_by_value() {
        use serde_json::{Value, json};

        use super::{Input, InputReader};
        use crate::event::Envelope;

        let mut rng = adl_bench::Rng::new(0x00AD_5EED);
        let mut next = move |bound: u64| rng.below(bound);
        let strings = ["", "}", "{[", "a\"b", "line\nbreak", "ping", "tab\there"];
        for _ in 0..300 {
            let multi_line = next(2) == 0;
            let mut text = String::new();
            let mut expected = Vec::new();
            for position in 0..next(12) {
                let event = |n: u64| {
                    json!({
                        "event_type": strings[(n % 7) as usize],
                        "id": format!("e{n}"),
                        "data": {"s": strings[(n / 7 % 7) as usize], "list": [n, {"deep": [n]}]},
                    })
                };
                let value = match (multi_line && position == 0, next(5)) {
                    (true, _) | (false, 2..) => event(next(1000)),
                    (false, 0) => Value::Array((0..next(4)).map(|_| event(next(1000))).collect()),
                    (false, 1) => json!(strings[next(7) as usize]),
                };
                let written = if multi_line && (position == 0 || next(2) == 0) {
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                } else {
                    value.to_string()
                };
                let endings: &[&str] = if multi_line {
                    &["\n", "\r\n", "\n\n", "\n  \n"]
                } else {
                    &["\n", "\r\n", "\n\n"]
                };
                let ending = endings[next(endings.len() as u64) as usize];
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
                Input::Unreadable(_, reason) => panic!("{reason} in\n{text}"),
                Input::Failed(error) => panic!("{error} in\n{text}"),
            };
            let read: Vec<_> = InputReader::new(text.as_bytes(), LIMIT)
                .map(envelope)
                .collect();
            assert_eq!(read, expected, "{text}");
            // Lines read where they lie in the read buffer and lines that go
            // on past its end (gathered) read the same.
            let capacity = 1 + usize::try_from(next(48)).unwrap_or(1);
            let small = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            let read: Vec<_> = InputReader::new(small, LIMIT).map(envelope).collect();
            assert_eq!(read, expected, "buffer of {capacity} bytes:\n{text}");
        }
    }

    /// Accepted + rejected = inputs, always: in an NDJSON stream with torn,
    /// oversized, invalid and non-UTF-8 lines among valid ones, every line
    /// that is not blank is one input, in order, and each valid line is its
    /// event, whatever the read buffer's size.
    #[test]
    fn every_line_of_a_hostile_stream_is_one_input() {
        use super::{Input, InputReader};

        const SMALL_LIMIT: usize = 120;
        let mut rng = adl_bench::Rng::new(0x0BAD_11E5);
        for _ in 0..300 {
            let mut text = Vec::new();
            // Per input line: the event id it must give, or none (a rejection).
            let mut expected: Vec<Option<String>> = Vec::new();
            let lines = 1 + rng.index(30);
            for position in 0..lines {
                let valid = format!(
                    "{{\"id\": \"e{position}\", \"event_type\": \"job\", \"data\": {{\"n\": [{position}, {{\"k\": \"v\"}}]}}}}"
                );
                // The first line is valid: it makes the input NDJSON.
                let kind = if position == 0 { 0 } else { rng.index(7) };
                match kind {
                    0 | 1 => {
                        text.extend_from_slice(valid.as_bytes());
                        expected.push(Some(format!("e{position}")));
                    }
                    2 => {
                        // Torn anywhere, even right after a `:` or a `,`.
                        let cut = 1 + rng.index(valid.len() - 2);
                        text.extend_from_slice(&valid.as_bytes()[..cut]);
                        expected.push(None);
                    }
                    3 => {
                        let padding = "x".repeat(SMALL_LIMIT);
                        text.extend_from_slice(
                            format!("{{\"event_type\": \"job\", \"data\": \"{padding}\"}}")
                                .as_bytes(),
                        );
                        expected.push(None);
                    }
                    4 => {
                        text.extend_from_slice(b"{\"event_type\": \"\xff\"}");
                        expected.push(None);
                    }
                    5 => {
                        text.extend_from_slice(
                            ["not json", "}", "]", "{", "[", "\"open"][rng.index(6)].as_bytes(),
                        );
                        expected.push(None);
                    }
                    _ => text.extend_from_slice(["", "  ", "\r"][rng.index(3)].as_bytes()),
                }
                text.extend_from_slice(if rng.index(4) == 0 { b"\r\n" } else { b"\n" });
            }
            let describe = |input: Input| match input {
                Input::Event(index, Ok(envelope)) => (index, envelope.id.map(|id| id.to_string())),
                Input::Event(index, Err(_)) | Input::Unreadable(index, _) => (index, None),
                Input::Failed(reason) => panic!("{reason}"),
            };
            let expected: Vec<_> = expected.into_iter().enumerate().collect();
            let capacity = 1 + rng.index(200);
            let small = std::io::BufReader::with_capacity(capacity, text.as_slice());
            let read: Vec<_> = InputReader::new(small, SMALL_LIMIT).map(describe).collect();
            assert_eq!(
                read,
                expected,
                "buffer of {capacity}:\n{}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    /// A value cut short in multi-line input is given up where a new one
    /// must start, and one past the limit is skipped to its end.
    #[test]
    fn multi_line_values_cut_short_or_too_long() {
        use super::{Input, InputReader};

        let describe = |input: Input| match input {
            Input::Event(index, Ok(envelope)) => format!("{index} event {}", envelope.event_type),
            Input::Event(index, Err(error)) => format!("{index} invalid {}", error.0),
            Input::Unreadable(index, reason) => format!("{index} unreadable {reason}"),
            Input::Failed(reason) => format!("failed {reason}"),
        };
        let text = "{\n  \"event_type\": \"a\",\n  \"data\": {\"n\": 1\n{\n  \"event_type\": \"b\"\n}\n\
                    [\n  {\"event_type\": \"c\"},\n{\"event_type\": \"d\"}\n]\n\
                    {\n  \"event_type\": \"e\",\n  \"data\": \"0123456789012345678901234567890123456789\"\n}\n\
                    {\"event_type\": \"f\",\n\"data\": {}}\n";
        let read: Vec<_> = InputReader::new(text.as_bytes(), 60)
            .map(describe)
            .collect();
        assert_eq!(
            read,
            [
                "0 unreadable not JSON (line 1): cut short by line 4, where a new value starts",
                "1 event b",
                "2 event c",
                "3 event d",
                "4 unreadable too long (line 11): the value starting here is longer than 60 bytes, \
                 the input limit (--max-input-bytes)",
                "5 event f",
            ]
        );
    }
}

#[cfg(test)]
mod sharing {
    use arcstr::ArcStr;

    use super::{BATCH, BATCH_TEXT, Input, InputReader};

    /// How many events each shared text holds, in order.
    fn texts(text: &str) -> Vec<usize> {
        let mut counts: Vec<(ArcStr, usize)> = Vec::new();
        for input in InputReader::new(text.as_bytes(), 16 << 20) {
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
