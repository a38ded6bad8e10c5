//! Deterministic workload generators for benchmarks: agent files of a given
//! size (a mix of direct, pattern and filtered subscriptions, triggers and named
//! handlers), corpora of small files, and NDJSON event streams with a controlled
//! hit rate. The same seed always gives the same bytes.
//!
//! ```
//! let a = adl_bench::agent_file(100, 7);
//! assert_eq!(a, adl_bench::agent_file(100, 7));
//! assert!(a.contains("\"subscriptions\""));
//! ```

use std::fmt::Write as _;

/// A small deterministic generator (`SplitMix64`): benchmarks must not depend on
/// a random source, and this needs no crate.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// An index into something `len` long (0 when it is empty).
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the result is below `len`, a usize"
    )]
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Up to `max_len` characters drawn from `alphabet` (which must not be empty).
    pub fn text(&mut self, alphabet: &[char], max_len: usize) -> String {
        let len = self.index(max_len + 1);
        (0..len)
            .map(|_| alphabet[self.index(alphabet.len())])
            .collect()
    }
}

/// An agent file with `subscriptions` subscriptions (a third each direct, pattern
/// and filtered), one trigger per ten subscriptions, a named handler per filtered
/// subscription, and fifty declared tools.
pub fn agent_file(subscriptions: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut subs = Vec::with_capacity(subscriptions + 1);
    let mut handlers = Vec::new();
    for i in 0..subscriptions {
        let tool = rng.below(50);
        let group = rng.below(100);
        subs.push(match i % 3 {
            0 => format!(
                r#"{{"subscription_type": "direct", "event_name": "event.{i}", "handler": {{"name": "h{i}", "handler_type": "tool_invocation", "tool_name": "tool{tool}", "parameters": {{"q": "${{event.data.text}}"}}}}}}"#
            ),
            1 => format!(
                r#"{{"subscription_type": "pattern", "event_pattern": "group{group}.*", "handler": {{"name": "h{i}", "handler_type": "notification", "notification_type": "info", "message": "got ${{event.event_type}}"}}}}"#
            ),
            _ => {
                handlers.push(format!(
                    r#"{{"name": "n{i}", "handler_type": "state_update", "state_field": "seen.{i}", "value": "${{event.id}}"}}"#
                ));
                format!(
                    r#"{{"subscription_type": "filtered", "event_name": "order.{group}", "filter": {{"field": "amount", "operator": "greater_than", "value": {tool}}}, "handler": "n{i}"}}"#
                )
            }
        });
    }
    subs.push(r#"{"subscription_type": "direct", "event_name": "error", "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_message}"}}"#.to_owned());
    let triggers: Vec<String> = (0..subscriptions / 10)
        .map(|j| format!(r#"{{"trigger_type": "event", "event_name": "tick.{j}", "condition": {{"field": "level", "operator": "greater_than", "value": {j}}}}}"#))
        .collect();
    let tools: Vec<String> = (0..50)
        .map(|t| {
            format!(
                r#"{{"name": "tool{t}", "description": "Generated tool {t}", "parameters": [{{"name": "q", "type": "string", "description": "The query"}}]}}"#
            )
        })
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"{{{HEADER}, "agent_id": "generated", "name": "generated", "tools": [{}], "events": {{"timeout_ms": 100, "routing_strategy": "broadcast", "subscriptions": [{}], "handlers": [{}], "triggers": [{}]}}}}"#,
        tools.join(", "),
        subs.join(",\n"),
        handlers.join(",\n"),
        triggers.join(",\n"),
    );
    out
}

/// The glob pattern of pattern subscription `i` of [`glob_agent_file`]: the
/// shapes users write, in a fixed mix (prefix, suffix, infix, several
/// wildcards, `?`), over the kinds and entities of [`NAME_PARTS`].
pub fn glob_pattern(i: usize, rng: &mut Rng) -> String {
    let kind = NAME_PARTS[rng.index(NAME_PARTS.len())];
    let entity = NAME_PARTS[rng.index(NAME_PARTS.len())];
    match i % 10 {
        0..=3 => format!("{kind}{i}_*"),
        4..=5 => format!("*_{entity}{i}"),
        6..=7 => format!("{kind}{i}_*_{entity}"),
        8 => format!("*{kind}{i}*_{entity}*"),
        _ => format!("{kind}{i}_?*_{entity}"),
    }
}

/// What every generated agent starts with: a whole v2 document, as users write.
const HEADER: &str = r#""schema_version": "2.0.0", "description": "A generated agent", "llm": "openai", "llm_settings": {"temperature": 0.2, "max_tokens": 1024}"#;

/// Words event names and patterns are made of.
pub const NAME_PARTS: &[&str] = &[
    "order", "payment", "user", "invoice", "shipment", "ticket", "session", "report",
];

/// An agent with `subscriptions` subscriptions, `patterns` of them glob
/// patterns of mixed shapes ([`glob_pattern`]) and the rest direct ones, each
/// with a notification handler; asynchronous mode and broadcast routing, as
/// systems with many tenants or entity kinds configure them.
pub fn glob_agent_file(subscriptions: usize, patterns: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut subs = Vec::with_capacity(subscriptions);
    for i in 0..subscriptions {
        let handler = r#"{"handler_type": "notification", "notification_type": "info", "message": "got ${event.id}"}"#;
        if i < patterns {
            let pattern = glob_pattern(i, &mut rng);
            subs.push(format!(
                r#"{{"subscription_type": "pattern", "event_pattern": "{pattern}", "handler": {handler}}}"#
            ));
        } else {
            let kind = NAME_PARTS[rng.index(NAME_PARTS.len())];
            subs.push(format!(
                r#"{{"subscription_type": "direct", "event_name": "{kind}.{i}", "handler": {handler}}}"#
            ));
        }
    }
    format!(
        r#"{{{HEADER}, "agent_id": "many-patterns", "name": "many-patterns", "events": {{"timeout_ms": 100, "processing_mode": "asynchronous", "routing_strategy": "broadcast", "subscriptions": [{}]}}}}"#,
        subs.join(",\n")
    )
}

/// An NDJSON stream whose names mostly do not repeat, as in systems that put
/// ids or tenants in event names: a share `unseen` (0.0–1.0) of the events get
/// a name never used before (`order17_<id>_user`: it may match patterns of
/// every shape), the rest one of 64 recurring names of the same shape.
pub fn high_cardinality_events(events: usize, unseen: f64, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    #[allow(clippy::cast_sign_loss)]
    let threshold = (unseen.clamp(0.0, 1.0) * 1_000_000.0) as u64;
    let name = |rng: &mut Rng, id: u64| {
        let kind = NAME_PARTS[rng.index(NAME_PARTS.len())];
        let entity = NAME_PARTS[rng.index(NAME_PARTS.len())];
        format!("{kind}{}_{id}_{entity}", rng.below(4000))
    };
    let mut pool = Rng::new(seed ^ 0x5EED);
    let recurring: Vec<String> = (0..64).map(|k| name(&mut pool, k)).collect();
    let mut out = String::new();
    for i in 0..events {
        let name = if rng.below(1_000_000) < threshold {
            let id = 1_000 + rng.below(1_000_000_000);
            name(&mut rng, id)
        } else {
            recurring[rng.index(recurring.len())].clone()
        };
        let _ = writeln!(
            out,
            r#"{{"id": "h{i}", "event_type": "{name}", "source": "bench", "data": {{"amount": {}}}}}"#,
            rng.below(100)
        );
    }
    out
}

/// `files` small agent files (a few subscriptions each), seeded per file.
pub fn corpus(files: usize, seed: u64) -> Vec<String> {
    (0..files)
        .map(|i| agent_file(6 + i % 5, seed.wrapping_add(i as u64)))
        .collect()
}

/// Writes [`corpus`]`(files, seed)` into `dir` (created if missing) as
/// `agent-N.json`, for a whole-process `adl check` of the corpus.
pub fn write_corpus(files: usize, seed: u64, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (index, text) in corpus(files, seed).iter().enumerate() {
        std::fs::write(dir.join(format!("agent-{index}.json")), text)?;
    }
    Ok(())
}

/// An NDJSON stream of `events` events; a share `hit_rate` of them (0.0–1.0)
/// is named so that a generated agent's subscriptions match them.
pub fn ndjson_events(events: usize, hit_rate: f64, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    // Clamped to 0–1 above, so the product is a non-negative whole number of ppm.
    #[allow(clippy::cast_sign_loss)]
    let threshold = (hit_rate.clamp(0.0, 1.0) * 1_000_000.0) as u64;
    let mut out = String::new();
    for i in 0..events {
        let name = if rng.below(1_000_000) < threshold {
            format!("event.{}", 3 * rng.below(1000))
        } else {
            format!("miss.{}", rng.below(1000))
        };
        let _ = writeln!(
            out,
            r#"{{"id": "e{i}", "event_type": "{name}", "source": "bench", "data": {{"text": "hello {i}", "amount": {}}}}}"#,
            rng.below(100)
        );
    }
    out
}

/// The median of `runs` timings of `work`, after one warm-up run.
pub fn median(runs: usize, work: impl FnMut()) -> std::time::Duration {
    timings(runs, work).median
}

/// The median and the best of several timings.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    pub median: std::time::Duration,
    pub best: std::time::Duration,
}

/// `runs` timings of `work` (at least one), after one warm-up run. On a
/// shared machine the best run shows what the code costs when nothing else
/// competes for the cores; the median shows what a user typically sees.
pub fn timings(runs: usize, mut work: impl FnMut()) -> Timings {
    work();
    summarize((0..runs.max(1)).map(|_| time(&mut work)).collect())
}

/// How long `work` takes, once.
pub fn time(mut work: impl FnMut()) -> std::time::Duration {
    let start = std::time::Instant::now();
    work();
    start.elapsed()
}

/// The median and the best of some timings (at least one).
fn summarize(mut times: Vec<std::time::Duration>) -> Timings {
    times.sort();
    Timings {
        median: times[times.len() / 2],
        best: times[0],
    }
}

/// A subject timed against its baseline, run after run.
#[derive(Debug, Clone, Copy)]
pub struct Paired {
    pub baseline: Timings,
    pub subject: Timings,
    /// The median over runs of subject time ÷ baseline time.
    pub ratio: f64,
}

/// Runs `ADL run AGENT --events EVENTS` as users do, its records written to
/// `output` (JSON Lines, as for any output that is not a terminal); the
/// error says which run failed.
pub fn run_adl(
    adl: &str,
    agent: &std::path::Path,
    events: &std::path::Path,
    output: &std::path::Path,
) -> Result<(), String> {
    let file = std::fs::File::create(output)
        .map_err(|error| format!("cannot write `{}`: {error}", output.display()))?;
    let status = std::process::Command::new(adl)
        .arg("run")
        .arg(agent)
        .arg("--events")
        .arg(events)
        .stdout(std::process::Stdio::from(file))
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|error| format!("cannot run `{adl}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{adl} run {} --events {}` failed ({status})",
            agent.display(),
            events.display()
        ))
    }
}

/// Times `baseline` and `subject` alternately, `runs` pairs after one warm-up
/// each. A busy spell on a shared machine then slows both sides of the pairs
/// it falls in, and the median of the per-pair ratios sets it aside: blocks of
/// runs of one and then the other can catch it on one side only.
pub fn paired(runs: usize, baseline: impl FnMut(), subject: impl FnMut()) -> Paired {
    paired_apart(runs, std::time::Duration::ZERO, baseline, subject)
}

/// [`paired`], with an untimed `pause` after each run of `subject`: a run
/// whose work goes on in another process once it returns (a database
/// server writing its log, its statistics) does not charge it to the next
/// baseline run.
pub fn paired_apart(
    runs: usize,
    pause: std::time::Duration,
    mut baseline: impl FnMut(),
    mut subject: impl FnMut(),
) -> Paired {
    baseline();
    subject();
    std::thread::sleep(pause);
    let pairs: Vec<_> = (0..runs.max(1))
        .map(|_| {
            let pair = (time(&mut baseline), time(&mut subject));
            std::thread::sleep(pause);
            pair
        })
        .collect();
    Paired {
        baseline: summarize(pairs.iter().map(|pair| pair.0).collect()),
        subject: summarize(pairs.iter().map(|pair| pair.1).collect()),
        ratio: median_ratio(&pairs),
    }
}

/// The median of `subject / baseline` over `(baseline, subject)` pairs.
fn median_ratio(pairs: &[(std::time::Duration, std::time::Duration)]) -> f64 {
    median_of(
        pairs
            .iter()
            .map(|(baseline, subject)| subject.as_secs_f64() / baseline.as_secs_f64()),
    )
}

/// The median of some measurements (the upper one of an even count); NaN when
/// there are none.
pub fn median_of(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.into_iter().collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_ratio_is_the_median_of_the_pairs_ratios() {
        let ms = Duration::from_millis;
        // Ratios 4, 4, 2, 2, 5: the median is 4, not the ratio of the
        // sides' medians (40 ms ÷ 20 ms).
        let pairs = [
            (ms(10), ms(40)),
            (ms(10), ms(40)),
            (ms(20), ms(40)),
            (ms(20), ms(40)),
            (ms(20), ms(100)),
        ];
        assert!((median_ratio(&pairs) - 4.0).abs() < 1e-9);
    }

    #[test]
    fn generators_are_deterministic_and_sized() {
        assert_eq!(ndjson_events(10, 0.5, 1), ndjson_events(10, 0.5, 1));
        assert_eq!(ndjson_events(10, 0.5, 1).lines().count(), 10);
        assert_eq!(corpus(3, 1).len(), 3);
        assert_ne!(agent_file(30, 1), agent_file(30, 2));
    }

    #[test]
    fn hit_rate_controls_matching_names() {
        let stream = ndjson_events(10_000, 0.25, 9);
        let hits = stream.lines().filter(|l| l.contains("\"event.")).count();
        assert!((2_300..2_700).contains(&hits), "{hits}");
    }
}
