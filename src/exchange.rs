//! The generated client's inner value, a value of its own so that the
//! generated code (which names it) and the hooks that fill it (`transport`)
//! do not import each other.

use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};

use crate::{settings::Settings, wire::AttemptRecord};

/// The generated client's inner value: one attempt's settings (token, user
/// agent, timeout, body limit) and, once it is answered, what the wire
/// carried. Made by the wrapper only ([`Client::raw`](crate::Client::raw)
/// gives a generated client that carries one).
pub struct Exchange {
    pub(crate) settings: Arc<Settings>,
    pub(crate) timeout: Duration,
    /// `Some` for the call pipeline, which decodes from the record; `None`
    /// for `Client::raw()`, whose callers read the generated client's result.
    pub(crate) record: Option<OnceLock<AttemptRecord>>,
}

/// The generated client derives `Clone`; a clone is a new exchange that has
/// seen nothing yet.
impl Clone for Exchange {
    fn clone(&self) -> Self {
        Exchange {
            settings: Arc::clone(&self.settings),
            timeout: self.timeout,
            record: self.record.as_ref().map(|_| OnceLock::new()),
        }
    }
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("timeout", &self.timeout)
            .field("recording", &self.record.is_some())
            .finish_non_exhaustive()
    }
}
