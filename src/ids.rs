//! Typed inputs: [`ChatId`] and [`Handle`], checked before anything is sent.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The identifier of a Linq chat: a UUID.
///
/// ```
/// use linq_partner::ChatId;
///
/// let chat: ChatId = "550e8400-e29b-41d4-a716-446655440000".parse()?;
/// assert_eq!(chat.to_string(), "550e8400-e29b-41d4-a716-446655440000");
/// assert!("not-a-uuid".parse::<ChatId>().is_err());
/// # Ok::<(), linq_partner::error::ChatIdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(transparent)]
#[cfg_attr(
    feature = "schemars",
    schemars(description = "The identifier of a Linq chat: a UUID.")
)]
pub struct ChatId(Uuid);

impl ChatId {
    /// Wraps a UUID that is already parsed.
    pub const fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    /// The UUID inside.
    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl From<ChatId> for Uuid {
    fn from(chat: ChatId) -> Self {
        chat.0
    }
}

impl From<Uuid> for ChatId {
    fn from(uuid: Uuid) -> Self {
        Self(uuid)
    }
}

impl FromStr for ChatId {
    type Err = ChatIdError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Uuid::try_parse(input)
            .map(Self)
            .map_err(|source| ChatIdError {
                input: excerpt(input),
                reason: source.to_string(),
            })
    }
}

impl fmt::Display for ChatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for ChatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChatId({self})")
    }
}

/// Why a string is not a [`ChatId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid chat id {input:?}: expected a UUID such as 550e8400-e29b-41d4-a716-446655440000 ({reason})"
)]
pub struct ChatIdError {
    input: String,
    reason: String,
}

/// A chat participant: a phone number in E.164 form or an email address.
///
/// Phone numbers are `+` followed by 2 to 15 digits, the first of which is not
/// `0`, with no spaces or punctuation. Email addresses need a local part, one
/// `@` and a dotted domain. The handle is sent exactly as given.
///
/// ```
/// use linq_partner::{Handle, HandleKind};
///
/// let phone: Handle = "+12052499136".parse()?;
/// assert_eq!(phone.kind(), HandleKind::Phone);
///
/// let email: Handle = "user@example.com".parse()?;
/// assert_eq!(email.kind(), HandleKind::Email);
///
/// let err = "+1 (205) 249-9136".parse::<Handle>().unwrap_err();
/// assert!(err.to_string().contains("only digits after '+'"));
/// # Ok::<(), linq_partner::error::HandleError>(())
/// ```
///
/// In serde, a handle is its text, checked when read back; one made with
/// [`Handle::unchecked`] is written `{"unchecked": "<text>"}`, so that it
/// reads back unchecked rather than failing the check it never passed.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "HandleRepr", into = "HandleRepr")]
#[cfg_attr(feature = "schemars", schemars(
    description = "An E.164 phone number (`+`, then 2 to 15 digits, the first not 0) or an email address; `{\"unchecked\": text}` for a handle sent without this crate's check.",
    extend("examples" = ["+12052499136", "user@example.com"])
))]
pub struct Handle {
    value: String,
    kind: HandleKind,
}

/// Which sort of [`Handle`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HandleKind {
    /// An E.164 phone number.
    Phone,
    /// An email address.
    Email,
    /// Not checked by this crate: made with [`Handle::unchecked`].
    Unchecked,
}

impl Handle {
    /// A handle sent exactly as given, without this crate's check: for a
    /// handle form Linq accepts before this version of the crate knows it.
    /// Linq still validates it, and answers an error for one it refuses.
    /// Prefer `parse()`, which catches mistakes before anything is sent.
    ///
    /// ```
    /// use linq_partner::{Handle, HandleKind};
    ///
    /// let handle = Handle::unchecked("tel:+12052499136");
    /// assert_eq!((handle.as_str(), handle.kind()), ("tel:+12052499136", HandleKind::Unchecked));
    /// assert!("tel:+12052499136".parse::<Handle>().is_err());
    /// ```
    pub fn unchecked(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            kind: HandleKind::Unchecked,
        }
    }

    /// The handle as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Whether it is a phone number or an email address.
    pub fn kind(&self) -> HandleKind {
        self.kind
    }
}

impl FromStr for Handle {
    type Err = HandleError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::try_from(input.to_owned())
    }
}

impl TryFrom<String> for Handle {
    type Error = HandleError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let kind = classify_handle(&value).map_err(|problem| HandleError {
            input: excerpt(&value),
            problem,
        })?;
        Ok(Self { value, kind })
    }
}

impl From<Handle> for String {
    fn from(handle: Handle) -> Self {
        handle.value
    }
}

/// A [`Handle`] in serde: checked text, or text marked unchecked.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum HandleRepr {
    Checked(String),
    Unchecked { unchecked: String },
}

impl TryFrom<HandleRepr> for Handle {
    type Error = HandleError;

    fn try_from(repr: HandleRepr) -> Result<Self, Self::Error> {
        match repr {
            HandleRepr::Checked(text) => Handle::try_from(text),
            HandleRepr::Unchecked { unchecked } => Ok(Handle::unchecked(unchecked)),
        }
    }
}

impl From<Handle> for HandleRepr {
    fn from(handle: Handle) -> Self {
        match handle.kind {
            HandleKind::Unchecked => HandleRepr::Unchecked {
                unchecked: handle.value,
            },
            _ => HandleRepr::Checked(handle.value),
        }
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({:?})", self.value)
    }
}

/// Why a string is not a [`Handle`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid handle {input:?}: {problem}")]
pub struct HandleError {
    input: String,
    problem: HandleProblem,
}

impl HandleError {
    /// What exactly is wrong.
    pub fn problem(&self) -> &HandleProblem {
        &self.problem
    }
}

/// The precise reason a handle was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandleProblem {
    /// Nothing was given.
    #[error("a handle cannot be empty")]
    Empty,
    /// Only digits: a phone number without its `+`.
    #[error("phone numbers must start with '+' and the country code (E.164), e.g. +12052499136")]
    MissingPlus,
    /// A character other than a digit after the `+`.
    #[error("phone numbers contain only digits after '+'; found {found:?} at position {position}")]
    #[non_exhaustive]
    PhoneCharacter {
        /// The offending character.
        found: char,
        /// Its position in the input, counting characters from 0.
        position: usize,
    },
    /// Fewer than 2 or more than 15 digits.
    #[error("phone numbers have 2 to 15 digits after '+'; this one has {digits}")]
    #[non_exhaustive]
    PhoneLength {
        /// How many digits were given.
        digits: usize,
    },
    /// Country codes never start with 0.
    #[error("the country code cannot start with 0")]
    PhoneLeadingZero,
    /// Something that looks like an email address but is not one.
    #[error("not a valid email address: {reason}")]
    #[non_exhaustive]
    Email {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Neither a phone number nor an email address.
    #[error("expected an E.164 phone number (+12052499136) or an email address (user@example.com)")]
    Unrecognised,
}

fn classify_handle(input: &str) -> Result<HandleKind, HandleProblem> {
    if input.is_empty() {
        return Err(HandleProblem::Empty);
    }
    if let Some(digits) = input.strip_prefix('+') {
        check_phone_digits(digits)?;
        return Ok(HandleKind::Phone);
    }
    if input.contains('@') {
        check_email(input).map_err(|reason| HandleProblem::Email { reason })?;
        return Ok(HandleKind::Email);
    }
    if input.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HandleProblem::MissingPlus);
    }
    Err(HandleProblem::Unrecognised)
}

fn check_phone_digits(digits: &str) -> Result<(), HandleProblem> {
    if let Some((index, found)) = digits
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
    {
        return Err(HandleProblem::PhoneCharacter {
            found,
            position: index + 1,
        });
    }
    if !(2..=15).contains(&digits.len()) {
        return Err(HandleProblem::PhoneLength {
            digits: digits.len(),
        });
    }
    if digits.starts_with('0') {
        return Err(HandleProblem::PhoneLeadingZero);
    }
    Ok(())
}

/// A deliberately plain check: it catches typos and pasted junk, not every
/// corner of RFC 5322. Internationalised domains must be given in punycode.
fn check_email(input: &str) -> Result<(), &'static str> {
    if input.len() > 254 {
        return Err("longer than 254 characters");
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains white space or control characters");
    }
    let (local, domain) = input.split_once('@').ok_or("missing '@'")?;
    if domain.contains('@') {
        return Err("more than one '@'");
    }
    if local.is_empty() {
        return Err("nothing before '@'");
    }
    if local.len() > 64 {
        return Err("the part before '@' is longer than 64 characters");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("misplaced '.' before '@'");
    }
    if domain.is_empty() {
        return Err("nothing after '@'");
    }
    if !domain.contains('.') {
        return Err("the domain needs a dot, as in example.com");
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err("the domain has an empty part between dots");
        }
        if label.len() > 63 {
            return Err("a domain part is longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("the domain may contain only letters, digits, '-' and '.'");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a domain part cannot start or end with '-'");
        }
    }
    Ok(())
}

/// Keeps error messages short whatever the caller passed in.
fn excerpt(input: &str) -> String {
    crate::text::capped(input.to_owned(), 64)
}

/// Keeps the conversion traits closed: the set of types a call accepts is
/// this crate's to extend.
mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ChatId {}
    impl Sealed for &super::ChatId {}
    impl Sealed for uuid::Uuid {}
    impl Sealed for super::Handle {}
    impl Sealed for &super::Handle {}
}

/// Anything a call accepts as a chat id: a [`ChatId`], a [`Uuid`], or a
/// string that is parsed when the call is made. Sealed: implemented for
/// those types only.
pub trait IntoChatId: sealed::Sealed {
    /// Converts, or says why it cannot.
    fn into_chat_id(self) -> Result<ChatId, ChatIdError>;
}

impl IntoChatId for ChatId {
    fn into_chat_id(self) -> Result<ChatId, ChatIdError> {
        Ok(self)
    }
}

impl IntoChatId for &ChatId {
    fn into_chat_id(self) -> Result<ChatId, ChatIdError> {
        Ok(*self)
    }
}

impl IntoChatId for Uuid {
    fn into_chat_id(self) -> Result<ChatId, ChatIdError> {
        Ok(ChatId(self))
    }
}

/// Anything a participants call accepts as a handle: a [`Handle`] or a string
/// that is parsed when the call is made. Sealed: implemented for those types
/// only.
pub trait IntoHandle: sealed::Sealed {
    /// Converts, or says why it cannot.
    fn into_handle(self) -> Result<Handle, HandleError>;
}

impl IntoHandle for Handle {
    fn into_handle(self) -> Result<Handle, HandleError> {
        Ok(self)
    }
}

impl IntoHandle for &Handle {
    fn into_handle(self) -> Result<Handle, HandleError> {
        Ok(self.clone())
    }
}

/// Text, parsed when the call is made.
macro_rules! parsed_from_text {
    ($($text:ty),*) => {$(
        impl sealed::Sealed for $text {}

        impl IntoChatId for $text {
            fn into_chat_id(self) -> Result<ChatId, ChatIdError> {
                self.parse()
            }
        }

        impl IntoHandle for $text {
            fn into_handle(self) -> Result<Handle, HandleError> {
                self.parse()
            }
        }
    )*};
}

parsed_from_text!(&str, &String, String);
