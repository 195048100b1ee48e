//! Errors of a confirmation registry shared through a database.

use std::fmt;

/// A shared confirmation registry could not do what was asked, from
/// [`ErrorKind::Registry`](crate::ErrorKind::Registry): the database could
/// not be reached or refused a statement, or a setting or a saved
/// [`WaitStart`](crate::webhooks::WaitStart) is not usable. Nothing was sent
/// to Linq. The database's own error, when there is one, is the
/// [`source`](std::error::Error::source).
///
/// ```
/// use linq_partner::{ErrorKind, webhooks::WaitStart};
///
/// let error = "not a wait start".parse::<WaitStart>().unwrap_err();
/// assert_eq!(error.problem(), linq_partner::error::RegistryProblem::InvalidWaitStart);
/// ```
#[derive(Debug)]
pub struct RegistryError {
    problem: RegistryProblem,
    detail: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Which kind of [`RegistryError`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegistryProblem {
    /// The database could not be reached, or a statement failed.
    Database,
    /// A schema or table name that is not a plain identifier, or too long.
    InvalidName,
    /// Text that is not a [`WaitStart`](crate::webhooks::WaitStart), or one
    /// made by another kind of registry (in-process or shared).
    InvalidWaitStart,
}

impl RegistryError {
    #[cfg_attr(not(feature = "webhooks"), allow(dead_code))]
    pub(crate) fn new(problem: RegistryProblem, detail: impl Into<String>) -> Self {
        Self {
            problem,
            detail: detail.into(),
            source: None,
        }
    }

    /// A database failure while doing `doing` ("store an event").
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn database(
        doing: &str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            problem: RegistryProblem::Database,
            detail: format!("the confirmation registry's database failed to {doing}"),
            source: Some(Box::new(source)),
        }
    }

    /// Which kind of error it is.
    pub fn problem(&self) -> RegistryProblem {
        self.problem
    }
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for RegistryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
