//! Times `adl run` on a NATS JetStream stream against the same agent's
//! `adl run --memory` on a file of the same events, and two consumers
//! against one, the way users run them: one process per consumer, 20,000
//! events (one a message) published beforehand, a stateless agent (the
//! benchmark agent's 6,667 subscriptions whose handler is a tool call), the
//! memory store. A run is
//! timed from the start of its processes until the consumer has nothing
//! pending or unacknowledged (polled every 5 ms); the processes are then
//! stopped with SIGTERM. Runs alternate; figures are medians.
//!
//! Then the redelivery after a kill: two consumers with `ack_wait=2s`, one
//! killed with SIGKILL in the middle of the stream; reported is how long
//! after the kill the stream was drained by the survivor.
//!
//! ```sh
//! cargo build --profile perf -p adl -p adl_bench
//! ADL_TEST_NATS_URL=nats://127.0.0.1:4222 target/perf/adl-bench-nats 5 target/perf/adl
//! ```

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool reports its figures and usage errors"
)]

use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use serde_json::Value;

const USAGE: &str = "usage: ADL_TEST_NATS_URL=nats://HOST:PORT adl-bench-nats RUNS ADL";
const SUBSCRIPTIONS: usize = 10_000;
const EVENTS: u32 = 20_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ([runs, adl], Ok(server)) = (&args[..], std::env::var("ADL_TEST_NATS_URL")) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(runs) = runs.parse::<usize>() else {
        eprintln!("adl-bench-nats: RUNS must be a number, found `{runs}`\n{USAGE}");
        return ExitCode::from(2);
    };
    let dir = std::env::temp_dir().join(format!("adl-bench-nats-{}", std::process::id()));
    let bench = Bench {
        adl: adl.clone(),
        server,
        dir: dir.clone(),
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
        client: std::cell::OnceCell::new(),
    };
    let result = bench.measure(runs.max(1));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("adl-bench-nats: {reason}");
            ExitCode::FAILURE
        }
    }
}

struct Bench {
    adl: String,
    server: String,
    dir: std::path::PathBuf,
    runtime: tokio::runtime::Runtime,
    /// One connection for every call: polling must not load the server.
    client: std::cell::OnceCell<async_nats::Client>,
}

impl Bench {
    fn measure(&self, runs: usize) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create a directory: {e}"))?;
        let agent = self.dir.join("agent.json");
        let events = self.dir.join("events.ndjson");
        std::fs::write(&agent, stateless_agent()?).map_err(|e| e.to_string())?;
        let lines = adl_bench::ndjson_events(EVENTS as usize, 0.5, 11);
        std::fs::write(&events, &lines).map_err(|e| e.to_string())?;
        let payloads: Vec<String> = lines.lines().map(str::to_owned).collect();
        println!(
            "adl run, {EVENTS} events (one a message), {SUBSCRIPTIONS} subscriptions, memory store; medians of {runs} runs"
        );
        let (mut memory, mut one, mut two) = (Vec::new(), Vec::new(), Vec::new());
        let mut busy = [Vec::new(), Vec::new(), Vec::new()];
        for run in 0..=runs {
            let started = Instant::now();
            let cpu = busy_cpu();
            let status = Command::new(&self.adl)
                .args(["run", path(&agent), "--events", path(&events), "--memory"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map_err(|e| format!("cannot run `{}`: {e}", self.adl))?;
            let elapsed = started.elapsed();
            let memory_cores = cores_busy(cpu, elapsed);
            if !status.success() {
                return Err(format!("`adl run --memory` failed ({status})"));
            }
            let (single, single_cores) =
                self.consumers(&agent, &payloads, 1, &format!("one{run}"))?;
            let (double, double_cores) =
                self.consumers(&agent, &payloads, 2, &format!("two{run}"))?;
            // The first round warms caches and the server up.
            if run > 0 {
                memory.push(elapsed);
                one.push(single);
                two.push(double);
                for (cores, of) in busy
                    .iter_mut()
                    .zip([memory_cores, single_cores, double_cores])
                {
                    cores.extend(of);
                }
            }
        }
        let rate = |times: &[Duration]| {
            f64::from(EVENTS) / adl_bench::median_of(times.iter().map(Duration::as_secs_f64))
        };
        let (memory, one, two) = (rate(&memory), rate(&one), rate(&two));
        let [memory_cores, one_cores, two_cores] = busy.map(adl_bench::median_of);
        println!(
            "{:<28} {:>12} {:>10} {:>12}",
            "run", "events/s", "ratio", "cores busy"
        );
        println!(
            "{:<28} {memory:>12.0} {:>10} {memory_cores:>12.2}",
            "file, --memory", "1.00"
        );
        println!(
            "{:<28} {one:>12.0} {:>10.2} {one_cores:>12.2}",
            "JetStream, one consumer",
            one / memory
        );
        println!(
            "{:<28} {two:>12.0} {:>10.2} {two_cores:>12.2}  ({:.2}× one consumer)",
            "JetStream, two consumers",
            two / memory,
            two / one
        );
        println!(
            "cores busy: the whole machine's (adl, the NATS server, the rest), of {}",
            std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
        );
        let after_kill = self.kill(&agent, &payloads)?;
        println!(
            "redelivery: one of two consumers killed (SIGKILL) mid-stream, ack_wait 2 s: drained {:.2} s after the kill",
            after_kill.as_secs_f64()
        );
        Ok(())
    }

    /// Publishes the events to a new stream, runs `count` consumers on it
    /// and returns the time until it was drained.
    fn consumers(
        &self,
        agent: &Path,
        payloads: &[String],
        count: usize,
        name: &str,
    ) -> Result<(Duration, Option<f64>), String> {
        let stream = self.stream(name, payloads)?;
        let address = self.address(&stream, "");
        let started = Instant::now();
        let cpu = busy_cpu();
        let children: Vec<Child> = (0..count)
            .map(|_| self.consumer(agent, &address))
            .collect::<Result<_, _>>()?;
        let drained = self.drained(&stream, started, children);
        self.delete(&stream);
        let drained = drained?;
        Ok((drained, cores_busy(cpu, drained)))
    }

    /// Two consumers, one killed after a third of the stream was processed;
    /// returns the time from the kill until the stream was drained.
    fn kill(&self, agent: &Path, payloads: &[String]) -> Result<Duration, String> {
        let stream = self.stream("kill", payloads)?;
        let address = self.address(&stream, "&ack_wait=2s");
        let mut victim = self.consumer(agent, &address)?;
        let survivor = self.consumer(agent, &address)?;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // The consumer exists once a process made it.
            if self
                .pending(&stream)
                .is_ok_and(|(pending, _)| pending <= u64::from(EVENTS) * 2 / 3)
            {
                break;
            }
            if Instant::now() > deadline {
                return Err("the consumers did not start".to_owned());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        victim.kill().map_err(|e| e.to_string())?;
        let killed = Instant::now();
        let _ = victim.wait();
        let drained = self.drained(&stream, killed, vec![survivor]);
        self.delete(&stream);
        drained
    }

    fn consumer(&self, agent: &Path, address: &str) -> Result<Child, String> {
        Command::new(&self.adl)
            .args(["run", path(agent), "--events", address, "--format", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run `{}`: {e}", self.adl))
    }

    fn address(&self, stream: &str, settings: &str) -> String {
        format!("{}/{stream}?consumer=bench{settings}", self.server)
    }

    /// Waits until `stream`'s consumer has nothing pending or unacknowledged,
    /// then stops the consumers (SIGTERM) and checks that they exited well.
    fn drained(
        &self,
        stream: &str,
        since: Instant,
        children: Vec<Child>,
    ) -> Result<Duration, String> {
        let deadline = Instant::now() + Duration::from_secs(300);
        let elapsed = loop {
            // The consumer exists once the first process made it.
            if let Ok((0, 0)) = self.pending(stream) {
                break since.elapsed();
            }
            if Instant::now() > deadline {
                return Err(format!("`{stream}` was not drained in 5 minutes"));
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        for child in &children {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
        }
        for mut child in children {
            let status = child.wait().map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("a consumer of `{stream}` failed ({status})"));
            }
        }
        Ok(elapsed)
    }

    /// A new stream holding the payloads, one message each.
    fn stream(&self, name: &str, payloads: &[String]) -> Result<String, String> {
        let stream = format!("ADLBENCH_{}_{name}", std::process::id());
        self.runtime.block_on(async {
            let context = jetstream::new(self.client().await?);
            let _ = context.delete_stream(&stream).await;
            context
                .create_stream(jetstream::stream::Config {
                    name: stream.clone(),
                    subjects: vec![format!("{}.>", stream.to_lowercase())],
                    ..Default::default()
                })
                .await
                .map_err(|e| format!("cannot create `{stream}`: {e}"))?;
            let subject = format!("{}.events", stream.to_lowercase());
            let mut acks = Vec::with_capacity(512);
            for payload in payloads {
                let ack = context
                    .publish(subject.clone(), payload.clone().into())
                    .await
                    .map_err(|e| format!("cannot publish: {e}"))?;
                acks.push(ack);
                if acks.len() == 512 {
                    for ack in acks.drain(..) {
                        ack.await.map_err(|e| format!("not stored: {e}"))?;
                    }
                }
            }
            for ack in acks {
                ack.await.map_err(|e| format!("not stored: {e}"))?;
            }
            Ok(stream)
        })
    }

    /// (not yet delivered, delivered and not acknowledged) on the consumer.
    fn pending(&self, stream: &str) -> Result<(u64, usize), String> {
        self.runtime.block_on(async {
            let context = jetstream::new(self.client().await?);
            let stream = context
                .get_stream(stream)
                .await
                .map_err(|e| e.to_string())?;
            let consumer: jetstream::consumer::PullConsumer = stream
                .get_consumer("bench")
                .await
                .map_err(|e| e.to_string())?;
            let info = consumer.get_info().await.map_err(|e| e.to_string())?;
            Ok((info.num_pending, info.num_ack_pending))
        })
    }

    fn delete(&self, stream: &str) {
        self.runtime.block_on(async {
            if let Ok(client) = self.client().await {
                let _ = jetstream::new(client).delete_stream(stream).await;
            }
        });
    }

    async fn client(&self) -> Result<async_nats::Client, String> {
        if let Some(client) = self.client.get() {
            return Ok(client.clone());
        }
        let client = async_nats::connect(self.server.trim_start_matches("nats://"))
            .await
            .map_err(|e| format!("cannot connect to `{}`: {e}", self.server))?;
        Ok(self.client.get_or_init(|| client).clone())
    }
}

/// The benchmark agent without its state: no triggers, and only the
/// subscriptions whose handler is an inline tool call (the others name
/// handlers that update state).
fn stateless_agent() -> Result<String, String> {
    #[allow(clippy::disallowed_methods, reason = "the generator's own output")]
    let mut agent: Value = serde_json::from_str(&adl_bench::agent_file(SUBSCRIPTIONS, 42))
        .map_err(|e| format!("generated agent: {e}"))?;
    let events = agent["events"]
        .as_object_mut()
        .ok_or("generated agent: no events block")?;
    events.remove("triggers");
    events.remove("handlers");
    if let Some(Value::Array(subscriptions)) = events.get_mut("subscriptions") {
        subscriptions.retain(|subscription| subscription["handler"].is_object());
    }
    events.insert("processing_mode".to_owned(), "asynchronous".into());
    events.insert(
        "persistence".to_owned(),
        serde_json::json!({"type": "memory", "max_events": 1000}),
    );
    Ok(agent.to_string())
}

/// CPU time the whole machine spent busy so far, in clock ticks (Linux).
fn busy_cpu() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait.
    Some(fields.iter().take(8).sum::<u64>() - fields.get(3)? - fields.get(4)?)
}

/// How many cores were busy on average since `before` (100 ticks a second).
fn cores_busy(before: Option<u64>, elapsed: Duration) -> Option<f64> {
    let ticks = busy_cpu()?.checked_sub(before?)?;
    #[allow(clippy::cast_precision_loss, reason = "clock ticks of a short run")]
    Some(ticks as f64 / 100.0 / elapsed.as_secs_f64())
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}
