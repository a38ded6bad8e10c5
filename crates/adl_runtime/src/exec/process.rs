//! Processing one event: subscriptions, triggers, routing, handlers, and the
//! events they emit (depth-limited cascades). Also the queue workers, the
//! batcher and the cron scheduler that feed it.

use futures_util::FutureExt;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use super::clock::deadline;
use super::host::{BoxFuture, CustomCall, HandlerError, Notification, ToolCall};
use super::outcome::{Action, ActionOutcome, Emitted, Outcome};
use super::source::MessageTracker;
use super::store::{Appended, Origin, Status, StoreError, StoredEvent};
use super::{Inner, Queued, QueuedEvent, Rejection};
use crate::graph::{HandlerId, NotificationType, ToolParameterNode};
use crate::program::{CompiledAction, Occurrence, Scope, Template, json_equal};
use crate::{Event, EventData};
use arcstr::{ArcStr, Substr, literal_substr};

/// A handler to run for an event, and what activated it.
struct Job<'p> {
    handler: HandlerId,
    via: &'p Arc<str>,
}

/// Processes an input event (or a time trigger's tick) and, depth-first,
/// everything its handlers emit, within the cascade limits.
pub(super) async fn process(
    inner: &Arc<Inner>,
    event: Arc<Event>,
    replayed: bool,
    tick: Option<usize>,
) {
    let budget = Budget::default();
    process_at(inner, event, 0, &budget, replayed, tick).await;
}

/// What one input's cascade has emitted so far, all generations together
/// (`max_cascade_events`).
#[derive(Debug, Default)]
struct Budget {
    emitted: std::sync::atomic::AtomicU64,
    /// Whether the `CASCADE_002` error was emitted (once per input).
    exhausted: std::sync::atomic::AtomicBool,
}

/// Processes `event` at cascade depth `depth` (0 for dispatched input).
async fn process_at(
    inner: &Arc<Inner>,
    event: Arc<Event>,
    depth: u64,
    budget: &Budget,
    replayed: bool,
    tick: Option<usize>,
) {
    let jobs = activations(inner, &event, tick);
    if jobs.is_empty() {
        // An event that activates nothing is done here, without the boxed cascade.
        if let Err(error) = inner.store.mark_done(std::slice::from_ref(&event.id)).await {
            store_failed(inner, &event, "mark it done", &error);
        }
        return;
    }
    run_jobs(inner, event, jobs, depth, budget, replayed).await;
}

/// Runs an event's handlers, then dispatches what they emitted (boxed: the
/// cascade recurses through [`process_at`]).
fn run_jobs<'a>(
    inner: &'a Arc<Inner>,
    event: Arc<Event>,
    jobs: Vec<Job<'a>>,
    depth: u64,
    budget: &'a Budget,
    replayed: bool,
) -> BoxFuture<'a, ()> {
    Box::pin(async move {
        let mut emitted = Vec::new();
        for job in jobs {
            run_handler(inner, &job, &event, replayed, &mut emitted).await;
        }
        let settings = inner.program.settings();
        let (max_depth, max_events) = (settings.max_cascade_depth, settings.max_cascade_events);
        let handling_error = event.event_type == "error";
        // Past the limit, or the limit's own error event: nothing goes further.
        let terminal = depth > max_depth;
        let mut depth_reached = false;
        let mut events_reached = false;
        let mut children = Vec::with_capacity(emitted.len());
        for child in emitted {
            let within_budget = budget.emitted.fetch_add(1, Ordering::Relaxed) < max_events;
            let dispatched = if terminal || (handling_error && child.event_type == "error") {
                false
            } else if !within_budget {
                events_reached = !budget.exhausted.swap(true, Ordering::Relaxed);
                false
            } else if depth + 1 > max_depth {
                depth_reached = true;
                false
            } else {
                true
            };
            children.push((child, dispatched));
        }
        let mut limit_error = |code: &str, message: String| {
            let id = child_id(&event, children.len());
            let limit = Event::new(
                id,
                "error",
                inner.now(),
                json!({
                    "error_type": "cascade_limit",
                    "error_message": message,
                    "error_code": code,
                }),
            );
            children.push((limit, !handling_error));
        };
        if depth_reached {
            limit_error(
                "CASCADE_001",
                format!(
                    "cascade stopped: events emitted at depth {} exceed max_cascade_depth {max_depth}",
                    depth + 1
                ),
            );
        }
        if events_reached {
            limit_error(
                "CASCADE_002",
                format!(
                    "cascade stopped: the input's cascade emitted more than max_cascade_events {max_events} events"
                ),
            );
        }
        for (child, dispatched) in children {
            inner.counters.emitted.fetch_add(1, Ordering::SeqCst);
            if child.event_type == "error" {
                inner.counters.errors.fetch_add(1, Ordering::SeqCst);
            }
            let child = Arc::new(child);
            inner.emit(|| {
                Outcome::Event(Emitted {
                    event: Arc::clone(&child),
                    cause: event.id.clone(),
                    dispatched,
                })
            });
            let status = if dispatched {
                Status::Pending
            } else {
                Status::Logged
            };
            // The acknowledgement is long gone: a failure is reported in the
            // outcome stream, and the event is still processed.
            let stored = inner
                .store
                .append_one(StoredEvent::new(
                    Arc::clone(&child),
                    status,
                    Origin::Emitted,
                ))
                .await;
            if let Err(error) = stored {
                store_failed(inner, &child, "store it", &error);
            }
            if dispatched {
                process_at(inner, child, depth + 1, budget, replayed, None).await;
            }
        }
        if let Err(error) = inner.store.mark_done(std::slice::from_ref(&event.id)).await {
            store_failed(inner, &event, "mark it done", &error);
        }
    })
}

/// A store write the cascade could not make, long after the acknowledgement:
/// an `error` event (`STORE_001`, counted in the summary) in the outcome
/// stream, recorded but not dispatched (handlers would write to the same
/// failing store). Nothing is dropped silently: a lost done mark means the
/// input is replayed after a restart (at least once); a lost emitted event is
/// regenerated by that replay.
fn store_failed(inner: &Inner, event: &Event, what: &str, error: &StoreError) {
    let failure = Arc::new(Event::new(
        format!("{}-store-failure", event.id),
        "error",
        inner.now(),
        json!({
            "error_type": "store_failure",
            "error_code": "STORE_001",
            "error_message": format!("while trying to {what}: {}", error.message()),
            "event_id": &*event.id,
        }),
    ));
    inner.counters.emitted.fetch_add(1, Ordering::SeqCst);
    inner.counters.errors.fetch_add(1, Ordering::SeqCst);
    inner.emit(|| {
        Outcome::Event(Emitted {
            event: failure,
            cause: event.id.clone(),
            dispatched: false,
        })
    });
}

/// Emitted events get ids derived from their cause (`<cause>-<n>`): unique,
/// traceable, and the same again when a crashed run is replayed.
fn child_id(cause: &Event, index: usize) -> Substr {
    // Built in place: `format!` costs ten times as much, once per emitted event.
    let mut number = itoa::Buffer::new();
    let number = number.format(index + 1);
    let split = cause.id.len();
    let id = ArcStr::init_with(split + 1 + number.len(), |id| {
        id[..split].copy_from_slice(cause.id.as_bytes());
        id[split] = b'-';
        id[split + 1..].copy_from_slice(number.as_bytes());
    });
    // A `str`, `-` and digits are always UTF-8: the fallback is not reached.
    id.map_or_else(|_| format!("{}-{number}", cause.id).into(), Substr::from)
}

/// The handlers this event runs: matching subscriptions, then fired triggers'
/// routed handlers, in declaration order.
fn activations<'p>(inner: &'p Inner, event: &Event, tick: Option<usize>) -> Vec<Job<'p>> {
    let program = &inner.program;
    let mut state = inner.state();
    let mut jobs: Vec<Job<'p>> = program
        .matching_subscriptions(event, &state.values)
        .map(|s| Job {
            handler: s.handler,
            via: &s.pointer,
        })
        .collect();
    let occurrence = match tick {
        Some(time) => Occurrence::Tick { time, event },
        None => Occurrence::Event(event),
    };
    let mut fired = program.fired_triggers(occurrence, &state.values);
    if event.event_type == "state_change" {
        for &index in program.edge_triggers() {
            let holds = program.triggers[index]
                .expr
                .holds(occurrence, &state.values);
            let before = state.edge_last[index].replace(holds);
            if holds && before != Some(true) {
                fired.push(index);
            }
        }
        fired.sort_unstable();
    }
    for index in fired {
        let targets = program.route(event, &state.values);
        if targets.is_empty() {
            inner.counters.dropped.fetch_add(1, Ordering::SeqCst);
        }
        let via = &program.triggers[index].pointer;
        jobs.extend(targets.into_iter().map(|handler| Job { handler, via }));
    }
    drop(state);
    jobs
}

async fn run_handler(
    inner: &Arc<Inner>,
    job: &Job<'_>,
    event: &Arc<Event>,
    replayed: bool,
    emitted: &mut Vec<Event>,
) {
    let handler = &inner.program.handlers[job.handler.index()];
    let call = Call {
        inner,
        event,
        label: &handler.label,
        timeout: Duration::from_millis(inner.program.settings().timeout_ms),
    };
    let done = match &handler.action {
        CompiledAction::Tool {
            tool_name,
            parameters,
            signature,
        } => {
            call.tool(tool_name, parameters, signature.as_deref(), emitted)
                .await
        }
        CompiledAction::State { field, keys, value } => {
            let input = call.render(value);
            if let Some(change) = write_state(inner, field, keys, &input) {
                call.emit(
                    literal_substr!("state_change"),
                    change.data.into_value(),
                    emitted,
                );
            }
            Done::ok(input, None)
        }
        CompiledAction::Notify {
            notification_type,
            message,
        } => call.notify(*notification_type, message).await,
        CompiledAction::Custom {
            handler_name,
            parameters,
        } => call.custom(handler_name, parameters).await,
    };
    if let Some(failure) = &done.failure {
        let (error_type, error_code) = match failure {
            Failure::TimedOut => ("timeout", "TIMEOUT_001"),
            Failure::Unregistered(_) => ("unknown_handler", "HANDLER_002"),
            Failure::Failed(_) => ("handler_failed", "HANDLER_001"),
        };
        let data = json!({
            "error_type": error_type,
            "error_message": call.describe(failure),
            "error_code": error_code,
            "handler": handler.label,
        });
        call.emit(literal_substr!("error"), data, emitted);
    }
    inner.counters.actions.fetch_add(1, Ordering::SeqCst);
    inner.emit(|| {
        Outcome::Action(Action {
            event_id: event.id.clone(),
            handler: Arc::clone(&handler.label),
            handler_type: handler.action.handler_type(),
            via: Arc::clone(job.via),
            outcome: match &done.failure {
                None => ActionOutcome::Ok,
                Some(Failure::TimedOut) => ActionOutcome::Timeout,
                Some(_) => ActionOutcome::Error,
            },
            error: done.failure.as_ref().map(|f| call.describe(f)),
            input: done.input,
            result: done.result,
            replayed,
        })
    });
}

/// What one handler execution needs to know.
struct Call<'a> {
    inner: &'a Arc<Inner>,
    event: &'a Arc<Event>,
    label: &'a Arc<str>,
    timeout: Duration,
}

impl Call<'_> {
    fn render(&self, template: &Template) -> Value {
        let state = self.inner.state();
        template.render(Scope {
            event: Some(self.event),
            state: &state.values,
        })
    }

    /// `event_type` a literal: no allocation.
    fn emit(&self, event_type: Substr, data: impl Into<EventData>, emitted: &mut Vec<Event>) {
        let id = child_id(self.event, emitted.len());
        emitted.push(Event::new(id, event_type, self.inner.now(), data));
    }

    fn describe(&self, failure: &Failure) -> String {
        match failure {
            Failure::Failed(message) => message.clone(),
            Failure::TimedOut => format!("timed out after {} ms", self.timeout.as_millis()),
            Failure::Unregistered(name) => {
                format!("no custom handler is registered under `{name}`")
            }
        }
    }

    /// Calls the tool, then emits its `tool_invocation` event (`status`
    /// `success`, `error` or `timeout`).
    async fn tool(
        &self,
        tool_name: &Arc<str>,
        parameters: &Template,
        signature: Option<&[ToolParameterNode]>,
        emitted: &mut Vec<Event>,
    ) -> Done {
        let input = Arc::new(self.render(parameters));
        let call = ToolCall {
            tool_name: Arc::clone(tool_name),
            parameters: Arc::clone(&input),
            event: Arc::clone(self.event),
            handler: Arc::clone(self.label),
        };
        let misfit = signature.and_then(|s| argument_mismatch(tool_name, s, &input));
        let result = match (&self.inner.tools, misfit) {
            (_, Some(reason)) => Err(Failure::Failed(reason)),
            (Some(tools), None) => bounded(self.timeout, tools.invoke(call)).await,
            (None, None) => Err(Failure::Failed("no tool invoker is registered".to_owned())),
        };
        let (status, value) = match &result {
            Ok(value) => ("success", value),
            Err(Failure::TimedOut) => ("timeout", &Value::Null),
            Err(_) => ("error", &Value::Null),
        };
        let error_message = result.as_ref().err().map(|failure| self.describe(failure));
        let data = ToolInvocationData {
            tool_name,
            parameters: &input,
            result: value,
            status,
            error_message: error_message.as_deref(),
        };
        self.emit(
            literal_substr!("tool_invocation"),
            data.to_event_data(),
            emitted,
        );
        Done::from_result(input, result)
    }

    async fn notify(&self, notification_type: NotificationType, message: &Template) -> Done {
        let input = self.render(message);
        let Some(sink) = &self.inner.notifications else {
            return Done::ok(input, None);
        };
        let notification = Notification {
            notification_type,
            message: input.as_str().unwrap_or_default().to_owned(),
            event: Arc::clone(self.event),
            handler: Arc::clone(self.label),
        };
        let result = bounded(self.timeout, sink.notify(notification)).await;
        let mut done = Done::from_result(input, result.map(|()| Value::Null));
        done.result = None;
        done
    }

    async fn custom(&self, handler_name: &Arc<str>, parameters: &Template) -> Done {
        let input = Arc::new(self.render(parameters));
        let Some(custom) = self.inner.custom.get(&**handler_name) else {
            return Done {
                input,
                result: None,
                failure: Some(Failure::Unregistered(handler_name.to_string())),
            };
        };
        let call = CustomCall {
            handler_name: Arc::clone(handler_name),
            parameters: Arc::clone(&input),
            event: Arc::clone(self.event),
            handler: Arc::clone(self.label),
        };
        let result = bounded(self.timeout, custom.handle(call)).await;
        Done::from_result(input, result)
    }
}

/// The data of a `tool_invocation` event (spec §5.1).
#[derive(serde::Serialize)]
struct ToolInvocationData<'a> {
    tool_name: &'a str,
    parameters: &'a Value,
    result: &'a Value,
    /// `success`, `error` or `timeout`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<&'a str>,
}

impl ToolInvocationData<'_> {
    /// Written straight to the text event data is kept as: a map would
    /// allocate and hash its keys and copy the parameters.
    fn to_event_data(&self) -> EventData {
        let mut text = Vec::with_capacity(128);
        // Serializing borrowed strings and values into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut text, self);
        EventData::from_written(text)
    }
}

/// Why rendered arguments do not fit a tool's declared parameters: the first
/// typed parameter whose value is of another JSON type, or a required one that
/// rendered to nothing (`null`). `None` when they fit.
fn argument_mismatch(
    tool_name: &str,
    signature: &[ToolParameterNode],
    arguments: &Value,
) -> Option<String> {
    for parameter in signature {
        let value = arguments.get(&parameter.name).unwrap_or(&Value::Null);
        if value.is_null() {
            if parameter.required {
                return Some(format!(
                    "parameter `{}` of tool `{tool_name}` is required, but its value rendered to null (a template found nothing)",
                    parameter.name
                ));
            }
            continue;
        }
        let Some(declared) = &parameter.parameter_type else {
            continue;
        };
        if adl_parser::model::value_fits_type(declared, value) == Some(false) {
            return Some(format!(
                "parameter `{}` of tool `{tool_name}` expects `{declared}`, but its value rendered to {}",
                parameter.name,
                adl_parser::json::json_type_name(value)
            ));
        }
    }
    None
}

/// What a handler did, before it becomes an action record.
struct Done {
    input: Arc<Value>,
    result: Option<Value>,
    failure: Option<Failure>,
}

impl Done {
    fn ok(input: impl Into<Arc<Value>>, result: Option<Value>) -> Self {
        let input = input.into();
        Self {
            input,
            result,
            failure: None,
        }
    }

    fn from_result(input: impl Into<Arc<Value>>, result: Result<Value, Failure>) -> Self {
        match result {
            Ok(value) => Self::ok(input, Some(value)),
            Err(failure) => Self {
                input: input.into(),
                result: None,
                failure: Some(failure),
            },
        }
    }
}

enum Failure {
    Failed(String),
    TimedOut,
    Unregistered(String),
}

async fn bounded<T>(
    timeout: Duration,
    mut call: BoxFuture<'static, Result<T, HandlerError>>,
) -> Result<T, Failure> {
    let failed = |error: HandlerError| Failure::Failed(error.0);
    let start = tokio::time::Instant::now();
    // A call that answers at once needs no timer (most recorded or cached tools).
    if let Some(result) = call.as_mut().now_or_never() {
        return result.map_err(failed);
    }
    let deadline = deadline(start, timeout);
    match tokio::time::timeout_at(deadline, call).await {
        Ok(result) => result.map_err(failed),
        Err(_) => Err(Failure::TimedOut),
    }
}

/// Writes `value` at `keys`; returns the `state_change` event (id and time to
/// be replaced by the caller's) when the value changed.
pub(super) fn write_state(
    inner: &Inner,
    field: &str,
    keys: &[String],
    value: &Value,
) -> Option<Event> {
    let mut state = inner.state();
    let (last, parents) = keys.split_last()?;
    let mut object: &mut Map<String, Value> = &mut state.values;
    for key in parents {
        let slot = object
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        object = slot.as_object_mut()?;
    }
    let previous = object.get(last).cloned();
    if previous.as_ref().is_some_and(|p| json_equal(p, value)) {
        return None;
    }
    object.insert(last.clone(), value.clone());
    drop(state);
    let now = inner.now();
    Some(Event::new(
        format!("state-{}", uuid::Uuid::now_v7()),
        "state_change",
        now.clone(),
        json!({
            "field": field,
            "previous_state": previous.unwrap_or(Value::Null),
            "new_state": value,
            "timestamp": now,
        }),
    ))
}

/// Asynchronous mode: takes queued events one at a time until the queue is
/// closed and empty.
pub(super) async fn worker(
    inner: Arc<Inner>,
    queue: Arc<tokio::sync::Mutex<mpsc::Receiver<QueuedEvent>>>,
) {
    loop {
        let next = queue.lock().await.recv().await;
        let Some(QueuedEvent { event, message }) = next else {
            return;
        };
        process(&inner, event, false, None).await;
        if let Some(message) = message {
            message.done();
        }
    }
}

/// Events of stored batches waiting to be processed, at most: the batches
/// behind the one being processed are stored meanwhile (their appends are
/// written together), without holding more than this in memory.
const STORED_AHEAD: usize = 1024;

/// Batch mode: groups events until `batch_size` or `batch_timeout_ms` after the
/// group's first event, stores the group as one unit, acknowledges it, then
/// processes it in arrival order. Batches are stored while earlier ones are
/// being stored or processed; they are acknowledged and processed in order.
pub(super) async fn batcher(inner: Arc<Inner>, mut queue: mpsc::Receiver<Queued>) {
    let settings = inner.program.settings().clone();
    let size = usize::try_from(settings.batch_size)
        .unwrap_or(usize::MAX)
        .max(1);
    let wait = Duration::from_millis(settings.batch_timeout_ms);
    let (stored, mut to_process) = mpsc::channel((STORED_AHEAD / size).max(1));
    let store = &inner.store;
    // Moves the queue and the sender in: when intake closes, processing ends too.
    let collect = async move {
        while let Some(first) = queue.recv().await {
            let deadline = deadline(tokio::time::Instant::now(), wait);
            let mut batch = vec![first];
            while batch.len() < size {
                tokio::select! {
                    next = queue.recv() => match next {
                        Some(queued) => batch.push(queued),
                        None => break,
                    },
                    () = tokio::time::sleep_until(deadline) => break,
                }
            }
            let events = batch
                .iter()
                .map(|q| StoredEvent::pending(Arc::clone(&q.event), Origin::Input))
                .collect();
            // Taken by the store now, in arrival order; awaited in order below.
            let appended = store.append(events);
            if stored.send((batch, appended)).await.is_err() {
                return;
            }
        }
    };
    let process_stored = async {
        while let Some((batch, appended)) = to_process.recv().await {
            let accepted = acknowledge(&inner, batch, appended.await);
            for (event, message) in accepted {
                process(&inner, event, false, None).await;
                if let Some(message) = message {
                    message.done();
                }
            }
        }
    };
    tokio::join!(collect, process_stored);
}

/// Answers a stored batch's dispatchers, reports its accepted events; returns them.
fn acknowledge(
    inner: &Inner,
    batch: Vec<Queued>,
    appended: Result<Appended, StoreError>,
) -> Vec<(Arc<Event>, Option<Arc<MessageTracker>>)> {
    let appended = match appended {
        Ok(appended) => appended,
        Err(error) => {
            for queued in batch {
                let _ = queued.written.send(Err(Rejection::Store(error.clone())));
            }
            return Vec::new();
        }
    };
    let mut events = Vec::with_capacity(batch.len());
    for (position, queued) in batch.into_iter().enumerate() {
        if appended.is_duplicate(position) {
            let _ = queued.written.send(Err(Rejection::Duplicate));
            continue;
        }
        if let Some(reason) = appended.refusal(position) {
            let rejection = Rejection::Store(reason.clone());
            let _ = queued.written.send(Err(rejection));
            continue;
        }
        inner.emit(|| Outcome::Accepted {
            index: queued.index,
            event: Arc::clone(&queued.event),
        });
        // The dispatcher may have given up waiting; the event is stored and runs anyway.
        let _ = queued.written.send(Ok(()));
        events.push((queued.event, queued.message));
    }
    events
}

/// Fires time trigger `time` on its schedule until the runtime shuts down.
pub(super) async fn scheduler(inner: Arc<Inner>, time: usize) {
    let schedule = &inner.program.schedules[time];
    let mut after = inner.clock.now();
    loop {
        let Some(next) = schedule.next_after(after) else {
            return;
        };
        tokio::time::sleep_until(inner.clock.instant_at(next)).await;
        if inner.closing.load(Ordering::SeqCst) {
            return;
        }
        let _guard = inner.in_flight.enter();
        let scheduled = next.to_string();
        let event = Event::new(
            format!("tick-{}-{}", time, next.as_second()),
            "time_trigger",
            scheduled.clone(),
            json!({"trigger": schedule.pointer, "scheduled_time": scheduled}),
        );
        let event = Arc::new(event);
        let stored = inner
            .store
            .append_one(StoredEvent::pending(Arc::clone(&event), Origin::Tick))
            .await;
        if let Err(error) = stored {
            store_failed(&inner, &event, "store it", &error);
        }
        process(&inner, event, false, Some(time)).await;
        // Ticks missed while processing are skipped, as cron does.
        after = next.max(inner.clock.now());
    }
}
