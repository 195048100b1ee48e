//! The SQL of the shared registry, for the schema and table the user chose.
//! Names are checked to be plain identifiers before they are put in a
//! statement, and always quoted.

use crate::error::{RegistryError, RegistryProblem};

/// Every statement the registry runs, with its table's name in place.
#[derive(Debug)]
pub(super) struct Sql {
    /// `schema.table`, unquoted: for messages, and the `NOTIFY` channel.
    pub(super) name: String,
    pub(super) create: String,
    pub(super) listen: String,
    pub(super) feed: String,
    pub(super) start: &'static str,
    pub(super) now: &'static str,
    pub(super) by_ids: String,
    pub(super) by_change: String,
    pub(super) by_changes: String,
    pub(super) clean: String,
}

/// Checks a schema or table name: lowercase ASCII letters, digits and
/// underscores, not starting with a digit, at most `max` bytes.
pub(super) fn check_name(what: &str, name: &str, max: usize) -> Result<(), RegistryError> {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    let starts_well = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_');
    if plain && starts_well && name.len() <= max {
        return Ok(());
    }
    Err(RegistryError::new(
        RegistryProblem::InvalidName,
        format!(
            "the {what} name must be 1 to {max} lowercase letters, digits or '_', not starting with a digit (got {:?})",
            crate::text::shown_string(name, 80)
        ),
    ))
}

/// The columns a stored event is read back with, in the order
/// `shared::StoredEvent::from_row` reads them.
const COLUMNS: &str = "id, fed_in::text::int8, (extract(epoch FROM fed_at) * 1000000)::int8, \
     delivery_id, scheme, subscription_id, body::text";

impl Sql {
    /// The statements for `schema.table` (both already checked).
    pub(super) fn new(schema: &str, table: &str) -> Self {
        let name = format!("{schema}.{table}");
        let qualified = format!("\"{schema}\".\"{table}\"");
        let select = format!("SELECT {COLUMNS} FROM {qualified}");
        Self {
            create: format!(
                r#"CREATE SCHEMA IF NOT EXISTS "{schema}";
CREATE TABLE IF NOT EXISTS {qualified} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The transaction that stored the row, and when: a wait takes rows
    -- stored by transactions that began after it was registered.
    fed_in xid8 NOT NULL DEFAULT pg_current_xact_id(),
    fed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- SHA-256 of the delivery's id (webhook-id), and the body's event_id:
    -- a delivery repeated to several replicas is stored once.
    delivery_key bytea UNIQUE,
    event_id uuid UNIQUE,
    -- The change the event confirms.
    kind text NOT NULL CHECK (kind IN ('added', 'removed')),
    chat_id uuid NOT NULL,
    handle text NOT NULL,
    -- The event, as verified.
    delivery_id text,
    scheme text NOT NULL,
    subscription_id text,
    body jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS "{table}_change" ON {qualified} (chat_id, handle, kind);
CREATE INDEX IF NOT EXISTS "{table}_fed_at" ON {qualified} (fed_at);
COMMENT ON TABLE {qualified} IS
    'Verified Linq participant events, shared by the replicas that wait for them (linq-partner); rows older than the registry''s keep time are deleted by it.';
"#
            ),
            listen: format!("LISTEN \"{name}\""),
            feed: format!(
                "WITH stored AS (
    INSERT INTO {qualified}
        (delivery_key, event_id, kind, chat_id, handle, delivery_id, scheme, subscription_id, body)
    VALUES ($1, CAST($2::text AS uuid), $3, CAST($4::text AS uuid), $5, $6, $7, $8, CAST($9::text AS jsonb))
    ON CONFLICT DO NOTHING
    RETURNING id)
SELECT pg_notify('{name}', id::text) FROM stored"
            ),
            // The first transaction id not yet given out: every row stored
            // by a transaction that begins later has this id or a larger one.
            start: "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::int8",
            now: "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::int8",
            by_ids: format!("{select} WHERE id = ANY($1::int8[]) ORDER BY id"),
            by_change: format!(
                "{select} WHERE chat_id = CAST($1::text AS uuid) AND handle = $2 AND kind = $3 ORDER BY id"
            ),
            by_changes: format!(
                "SELECT {COLUMNS} FROM {qualified} AS stored
JOIN unnest($1::text[], $2::text[], $3::text[]) AS waited (chat_id, handle, kind)
  ON stored.chat_id = CAST(waited.chat_id AS uuid)
 AND stored.handle = waited.handle
 AND stored.kind = waited.kind
ORDER BY id"
            ),
            clean: format!(
                "DELETE FROM {qualified} WHERE fed_at < clock_timestamp() - $1::int8 * interval '1 microsecond'"
            ),
            name,
        }
    }
}
