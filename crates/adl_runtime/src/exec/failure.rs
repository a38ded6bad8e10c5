//! What an operational error is made of: a whole message for users and the
//! cause behind it for programs. [`super::StoreError`] and
//! [`super::SourceError`] are each one of these with their own display.

use std::error::Error;
use std::sync::Arc;

/// A message (one line, the cause's words included) and, when something
/// the runtime uses failed, that failure itself.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    message: String,
    cause: Option<Arc<dyn Error + Send + Sync>>,
}

impl Failure {
    pub(crate) fn new(message: String) -> Self {
        Self {
            message,
            cause: None,
        }
    }

    pub(crate) fn caused_by(message: String, cause: impl Error + Send + Sync + 'static) -> Self {
        Self {
            message,
            cause: Some(Arc::new(cause)),
        }
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The same failure, its message put in context (the cause is kept).
    pub(crate) fn context(self, context: impl FnOnce(&str) -> String) -> Self {
        Self {
            message: context(&self.message),
            cause: self.cause,
        }
    }

    /// The cause itself, not the `Arc` it is shared in, so that it downcasts.
    pub(crate) fn cause(&self) -> Option<&(dyn Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn Error + 'static))
    }
}

/// Failures compare by what they say (a cause is not comparable).
impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
    }
}

impl Eq for Failure {}
