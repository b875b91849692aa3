//! The store edge of the typed states (`crate::states`): each is written as its text form and
//! read back from it. Text no variant has is a conversion error, except a source's state,
//! which reads as `failing` (see `SourceState::from_stored`).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::states::{AlertEvent, AlertKind, AlertStatus, ErrorKind, SourceState};

macro_rules! stored_as_text {
    ($($name:ident),+) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                $name::from_text(text).ok_or_else(|| {
                    FromSqlError::Other(format!("`{text}` is no {}", stringify!($name)).into())
                })
            }
        }
    )+};
}

stored_as_text!(ErrorKind, AlertStatus, AlertKind, AlertEvent);

impl ToSql for SourceState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for SourceState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str().map(SourceState::from_stored)
    }
}
