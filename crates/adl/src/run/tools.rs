//! The tool invoker of `adl run`: tools named with `--tool-command` run as
//! processes, others are recorded.

use std::collections::HashMap;
use std::sync::Arc;

use adl_runtime::exec::{HandlerError, ToolCall};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

/// Tools named with `--tool-command` run as processes; others are recorded.
pub struct CommandTools(pub Arc<HashMap<String, String>>);

impl adl_runtime::exec::ToolInvoker for CommandTools {
    fn invoke(
        &self,
        call: ToolCall,
    ) -> adl_runtime::exec::BoxFuture<'static, Result<Value, HandlerError>> {
        match self.0.get(&*call.tool_name).cloned() {
            // A unit future: boxing it allocates nothing.
            None => Box::pin(Recorded),
            Some(command) => Box::pin(async move { run_tool_command(&command, &call).await }),
        }
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

/// Runs `sh -c CMD` with the parameters as JSON on stdin; its stdout (JSON,
/// or nothing for `null`) is the result; a non-zero exit is a failure.
async fn run_tool_command(command: &str, call: &ToolCall) -> Result<Value, HandlerError> {
    use std::process::Stdio;
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("ADL_TOOL_NAME", &*call.tool_name)
        .env("ADL_EVENT_ID", call.event.id.as_str())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A timed-out call drops this future: the process must not outlive it.
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| HandlerError(format!("cannot start `{command}`: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let input = serde_json::to_vec(&call.parameters).unwrap_or_default();
        // A command that does not read its input closes the pipe early: fine.
        let _ = stdin.write_all(&input).await;
    }
    let output = child
        .wait_with_output()
        .await
        .map_err(|e| HandlerError(format!("`{command}` failed: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        let status = output
            .status
            .code()
            .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}"));
        return Err(HandlerError(if stderr.is_empty() {
            format!("`{}` exited with {status}", call.tool_name)
        } else {
            format!("`{}` exited with {status}: {stderr}", call.tool_name)
        }));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.trim().is_empty() {
        return Ok(Value::Null);
    }
    #[allow(
        clippy::disallowed_methods,
        reason = "a tool's result: no spans needed"
    )]
    serde_json::from_str(stdout.trim()).map_err(|e| {
        HandlerError(format!(
            "`{}` printed output that is not JSON: {e}",
            call.tool_name
        ))
    })
}
