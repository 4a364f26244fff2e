//! Attachments' rows: written only once the bytes are stored, counted against the
//! organisation's quota in the same transaction, scoped by the organisation like its tasks.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::Attachment;

use super::{TaskRow, to_utc};
use crate::db::{
    AnyConnection,
    schema::{attachments, organizations},
};

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: i64,
    pub organization_id: i64,
    pub task_id: i64,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment {
    pub organization_id: i64,
    pub task_id: i64,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: i64,
    pub created_at: NaiveDateTime,
}

/// What recording a stored file came to.
#[derive(Debug)]
pub enum Recorded {
    Saved(AttachmentRow),
    /// The organisation's files would pass its quota: nothing written.
    OverQuota,
    /// The task was deleted while the file was on its way.
    TaskGone,
}

impl AttachmentRow {
    pub fn to_dto(&self) -> Attachment {
        Attachment {
            id: self.id,
            task_id: self.task_id,
            name: self.name.clone(),
            size: self.size,
            content_type: self.content_type.clone(),
            sha256: self.sha256.clone(),
            uploaded_by: self.uploaded_by,
            created_at: to_utc(self.created_at),
        }
    }

    /// Counts the file against the quota and writes its row, or neither: the quota is checked
    /// and taken by one conditional UPDATE, so uploads at once cannot pass it together.
    pub fn record(
        conn: &mut AnyConnection,
        file: &NewAttachment,
        quota: i64,
    ) -> QueryResult<Recorded> {
        if TaskRow::find(conn, file.organization_id, file.task_id)?.is_none() {
            return Ok(Recorded::TaskGone);
        }
        let counted = diesel::update(
            organizations::table
                .find(file.organization_id)
                .filter(organizations::storage_used.le(quota - file.size)),
        )
        .set(organizations::storage_used.eq(organizations::storage_used + file.size))
        .execute(conn)?;
        if counted == 0 {
            return Ok(Recorded::OverQuota);
        }
        diesel::insert_into(attachments::table)
            .values(file)
            .returning(attachments::all_columns)
            .get_result(conn)
            .map(Recorded::Saved)
    }

    /// The task's files, oldest first.
    pub fn for_task(
        conn: &mut AnyConnection,
        organization_id: i64,
        task_id: i64,
    ) -> QueryResult<Vec<Self>> {
        attachments::table
            .filter(attachments::organization_id.eq(organization_id))
            .filter(attachments::task_id.eq(task_id))
            .order(attachments::id.asc())
            .load(conn)
    }

    pub fn find(
        conn: &mut AnyConnection,
        organization_id: i64,
        id: i64,
    ) -> QueryResult<Option<Self>> {
        attachments::table
            .filter(attachments::id.eq(id))
            .filter(attachments::organization_id.eq(organization_id))
            .first(conn)
            .optional()
    }

    /// Deletes the row and gives its bytes back to the quota; the object is the caller's to
    /// delete once this commits.
    pub fn delete(
        conn: &mut AnyConnection,
        organization_id: i64,
        id: i64,
    ) -> QueryResult<Option<Self>> {
        let deleted: Option<Self> = diesel::delete(
            attachments::table
                .filter(attachments::id.eq(id))
                .filter(attachments::organization_id.eq(organization_id)),
        )
        .returning(attachments::all_columns)
        .get_result(conn)
        .optional()?;
        if let Some(row) = &deleted {
            Self::release(conn, organization_id, row.size)?;
        }
        Ok(deleted)
    }

    /// Deletes a task's files' rows (before the task goes) and gives their bytes back; their
    /// keys, for the caller to delete the objects once this commits.
    pub fn delete_for_task(
        conn: &mut AnyConnection,
        organization_id: i64,
        task_id: i64,
    ) -> QueryResult<Vec<String>> {
        let deleted: Vec<(String, i64)> = diesel::delete(
            attachments::table
                .filter(attachments::organization_id.eq(organization_id))
                .filter(attachments::task_id.eq(task_id)),
        )
        .returning((attachments::storage_key, attachments::size))
        .get_results(conn)?;
        let bytes = deleted.iter().map(|(_, size)| size).sum();
        Self::release(conn, organization_id, bytes)?;
        Ok(deleted.into_iter().map(|(key, _)| key).collect())
    }

    fn release(conn: &mut AnyConnection, organization_id: i64, bytes: i64) -> QueryResult<()> {
        diesel::update(organizations::table.find(organization_id))
            .set(organizations::storage_used.eq(organizations::storage_used - bytes))
            .execute(conn)
            .map(drop)
    }

    /// Which of `keys` a row names: the rest are orphans.
    pub fn known_keys(conn: &mut AnyConnection, keys: &[String]) -> QueryResult<HashSet<String>> {
        attachments::table
            .filter(attachments::storage_key.eq_any(keys))
            .select(attachments::storage_key)
            .load::<String>(conn)
            .map(|known| known.into_iter().collect())
    }
}
