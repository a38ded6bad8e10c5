//! The tool invoker and custom handlers of `adl run`: tools named with
//! `--tool-command` and custom handlers named with `--handler-command` run as
//! processes; other tools are recorded.

use std::collections::HashMap;
use std::sync::Arc;

use adl_runtime::exec::{CustomCall, HandlerError, ToolCall};
use serde_json::Value;
use std::io::Write as _;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// Tools named with `--tool-command` run as processes; others are recorded.
pub struct CommandTools {
    pub commands: Arc<HashMap<String, String>>,
    /// The most a tool may print on stdout, and on stderr.
    pub max_output: usize,
}

impl adl_runtime::exec::ToolInvoker for CommandTools {
    fn invoke(
        &self,
        call: ToolCall,
    ) -> adl_runtime::exec::BoxFuture<'static, Result<Value, HandlerError>> {
        match self.commands.get(&*call.tool_name).cloned() {
            // A unit future: boxing it allocates nothing.
            None => Box::pin(Recorded),
            Some(command) => {
                let max_output = self.max_output;
                Box::pin(async move {
                    let input = serde_json::to_vec(&call.parameters).unwrap_or_default();
                    let process = Process {
                        what: "tool",
                        name: &call.tool_name,
                        name_variable: "ADL_TOOL_NAME",
                        event_id: &call.event.id,
                        max_output,
                    };
                    process.run(&command, input).await
                })
            }
        }
    }
}

/// A custom handler run as a process (`--handler-command NAME=CMD`): the call
/// as JSON on stdin (`handler_name`, `handler`, `parameters`, `event`).
pub struct CommandHandler {
    pub name: String,
    pub command: String,
    /// The most it may print on stdout, and on stderr.
    pub max_output: usize,
}

impl adl_runtime::exec::CustomHandler for CommandHandler {
    fn handle(
        &self,
        call: CustomCall,
    ) -> adl_runtime::exec::BoxFuture<'static, Result<Value, HandlerError>> {
        let (name, command, max_output) =
            (self.name.clone(), self.command.clone(), self.max_output);
        Box::pin(async move {
            let input = serde_json::to_vec(&serde_json::json!({
                "handler_name": call.handler_name,
                "handler": call.handler,
                "parameters": call.parameters,
                "event": *call.event,
            }))
            .unwrap_or_default();
            let process = Process {
                what: "custom handler",
                name: &name,
                name_variable: "ADL_HANDLER_NAME",
                event_id: &call.event.id,
                max_output,
            };
            process.run(&command, input).await
        })
    }
}

/// The answer to a recorded tool call: `null`, at once.
struct Recorded;

impl std::future::Future for Recorded {
    type Output = Result<Value, HandlerError>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::task::Poll::Ready(Ok(Value::Null))
    }
}

/// One call of a command: what it runs for, for messages and its environment.
struct Process<'a> {
    /// `tool` or `custom handler`.
    what: &'static str,
    name: &'a str,
    /// The environment variable that gets `name`.
    name_variable: &'static str,
    event_id: &'a str,
    max_output: usize,
}

impl Process<'_> {
    /// Runs `sh -c CMD` with `input` on stdin; its stdout (JSON, or nothing
    /// for `null`) is the result; a non-zero exit is a failure.
    ///
    /// The command runs in a process group of its own: when the call is
    /// dropped (a timeout) or prints more than `max_output`, the whole group is
    /// killed, children included. Errors name the tool or handler, never the
    /// command line, which may hold secrets.
    async fn run(&self, command: &str, input: Vec<u8>) -> Result<Value, HandlerError> {
        use std::process::Stdio;
        let (what, name, max_output) = (self.what, self.name, self.max_output);
        let mut child = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .env(self.name_variable, name)
            // Ids have no control characters (dispatch rejects them), so the
            // value is one line as it is.
            .env("ADL_EVENT_ID", self.event_id)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| HandlerError(format!("cannot start {what} `{name}`: {e}")))?;
        let group = ProcessGroup(child.id());
        let (mut stdin, stdout, stderr) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take());
        let write = async move {
            if let Some(stdin) = stdin.as_mut() {
                // A command that does not read its input closes the pipe early: fine.
                let _ = stdin.write_all(&input).await;
            }
            drop(stdin);
        };
        let ((), stdout, stderr) = tokio::join!(
            write,
            read_within(stdout, max_output),
            read_within(stderr, max_output)
        );
        let too_long = |stream: &str| {
            HandlerError(format!(
                "`{name}` printed more than {max_output} bytes on {stream}, the limit (--max-tool-output)"
            ))
        };
        let Some(stdout) = stdout else {
            return Err(too_long("stdout"));
        };
        let Some(stderr) = stderr else {
            return Err(too_long("stderr"));
        };
        let status = child
            .wait()
            .await
            .map_err(|e| HandlerError(format!("`{name}` failed: {e}")))?;
        group.finished();
        if !status.success() {
            let stderr = String::from_utf8_lossy(&stderr);
            let stderr = stderr.trim();
            let status = status
                .code()
                .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}"));
            return Err(HandlerError(if stderr.is_empty() {
                format!("`{name}` exited with {status}")
            } else {
                format!("`{name}` exited with {status}: {stderr}")
            }));
        }
        // What a successful command says on stderr (progress, warnings) is
        // passed on, each line marked with what printed it; a failed one's
        // stderr is its error message instead.
        let stderr = String::from_utf8_lossy(&stderr);
        if !stderr.trim().is_empty() {
            let mut out = std::io::stderr().lock();
            for line in stderr.lines() {
                let _ = writeln!(out, "[{what} {name}] {line}");
            }
        }
        let stdout = String::from_utf8_lossy(&stdout);
        if stdout.trim().is_empty() {
            return Ok(Value::Null);
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "a command's result: no spans needed"
        )]
        serde_json::from_str(stdout.trim())
            .map_err(|e| HandlerError(format!("`{name}` printed output that is not JSON: {e}")))
    }
}

/// Everything a pipe gives, or `None` past `max` bytes (reading stops there).
async fn read_within(pipe: Option<impl AsyncRead + Unpin>, max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let Some(pipe) = pipe else { return Some(out) };
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    // A failed read ends the output; the exit status tells what happened.
    let _ = pipe.take(limit).read_to_end(&mut out).await;
    (out.len() <= max).then_some(out)
}

/// A tool's process group, killed (SIGKILL) when dropped before the tool
/// finished: on a timeout, or past the output limit.
struct ProcessGroup(Option<u32>);

impl ProcessGroup {
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        let group = self
            .0
            .and_then(|id| i32::try_from(id).ok())
            .and_then(rustix::process::Pid::from_raw);
        if let Some(group) = group {
            // Already gone is fine: there is nothing left to kill.
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
    }
}
