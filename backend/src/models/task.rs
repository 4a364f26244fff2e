//! Tasks, the organisation's example resource. Every query is scoped by the organisation (a task
//! of another one is never found: a 404, not a 403), and every change is checked against the
//! version the caller saw (`If-Match`), in the statement that makes it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::{
    dto::{Task, TaskStatus},
    validate::{NewTask, TaskChanges},
};

use super::{AttachmentRow, to_utc};
use crate::db::{AnyConnection, schema::tasks};

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = tasks)]
pub struct TaskRow {
    pub id: i64,
    pub organization_id: i64,
    pub created_by: Option<i64>,
    pub title: String,
    pub description: String,
    /// `TaskStatus::as_str`; the table's CHECK admits no other value.
    pub status: String,
    pub due_date: Option<NaiveDate>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = tasks)]
struct NewTaskRow<'a> {
    organization_id: i64,
    created_by: i64,
    title: &'a str,
    description: &'a str,
    status: &'static str,
    due_date: Option<NaiveDate>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The columns a `PATCH` sets: `None` leaves one as it is (`Some(None)` clears the due date).
#[derive(AsChangeset)]
#[diesel(table_name = tasks)]
struct TaskUpdate {
    title: Option<String>,
    description: Option<String>,
    status: Option<&'static str>,
    due_date: Option<Option<NaiveDate>>,
    version: i64,
    updated_at: NaiveDateTime,
}

/// The outcome of a change made only if the task is at a version the caller accepts.
#[derive(Debug)]
pub enum Guarded<T> {
    Done(T),
    /// No task of the organisation's with this id.
    NotFound,
    /// The task is at another version than the caller saw.
    Stale,
}

impl TaskRow {
    pub fn to_dto(&self) -> Task {
        Task {
            id: self.id,
            title: self.title.clone(),
            description: self.description.clone(),
            status: TaskStatus::parse(&self.status).unwrap_or_default(),
            due_date: self.due_date,
            version: self.version,
            created_by: self.created_by,
            created_at: to_utc(self.created_at),
            updated_at: to_utc(self.updated_at),
        }
    }

    pub fn create(
        conn: &mut AnyConnection,
        organization_id: i64,
        created_by: i64,
        task: &NewTask,
        at: NaiveDateTime,
    ) -> QueryResult<Self> {
        diesel::insert_into(tasks::table)
            .values(NewTaskRow {
                organization_id,
                created_by,
                title: &task.title,
                description: &task.description,
                status: task.status.as_str(),
                due_date: task.due_date,
                version: 1,
                created_at: at,
                updated_at: at,
            })
            .returning(tasks::all_columns)
            .get_result(conn)
    }

    pub fn find(
        conn: &mut AnyConnection,
        organization_id: i64,
        id: i64,
    ) -> QueryResult<Option<Self>> {
        tasks::table
            .filter(tasks::id.eq(id))
            .filter(tasks::organization_id.eq(organization_id))
            .first(conn)
            .optional()
    }

    /// A page of the organisation's tasks, newest first, older than `before`.
    pub fn page(
        conn: &mut AnyConnection,
        organization_id: i64,
        status: Option<TaskStatus>,
        limit: i64,
        before: Option<i64>,
    ) -> QueryResult<Vec<Self>> {
        let mut query = tasks::table
            .filter(tasks::organization_id.eq(organization_id))
            .filter(tasks::id.lt(before.unwrap_or(i64::MAX)))
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(tasks::status.eq(status.as_str()));
        }
        query.order(tasks::id.desc()).limit(limit).load(conn)
    }

    /// Applies `changes` if the task's version is one `accepts` takes, as version + 1. An empty
    /// change set changes nothing (not even the version) and answers the task as it is.
    pub fn update(
        conn: &mut AnyConnection,
        organization_id: i64,
        id: i64,
        accepts: impl Fn(i64) -> bool,
        changes: &TaskChanges,
        at: NaiveDateTime,
    ) -> QueryResult<Guarded<Self>> {
        let Some(seen) = Self::find(conn, organization_id, id)? else {
            return Ok(Guarded::NotFound);
        };
        if !accepts(seen.version) {
            return Ok(Guarded::Stale);
        }
        if changes.is_empty() {
            return Ok(Guarded::Done(seen));
        }
        let update = TaskUpdate {
            title: changes.title.clone(),
            description: changes.description.clone(),
            status: changes.status.map(TaskStatus::as_str),
            due_date: changes.due_date,
            version: seen.version + 1,
            updated_at: at,
        };
        // The version in the WHERE makes the check and the write one step: a concurrent change
        // that landed after the read above leaves nothing to update here.
        let updated = diesel::update(Self::at_version(id, seen.version))
            .set(update)
            .returning(tasks::all_columns)
            .get_result(conn)
            .optional()?;
        Ok(updated.map_or(Guarded::Stale, Guarded::Done))
    }

    /// Deletes the task if its version is one `accepts` takes, with its files' rows (their
    /// bytes given back to the quota); the files' keys, for the caller to delete the objects
    /// once this commits.
    pub fn delete(
        conn: &mut AnyConnection,
        organization_id: i64,
        id: i64,
        accepts: impl Fn(i64) -> bool,
    ) -> QueryResult<Guarded<Vec<String>>> {
        let Some(seen) = Self::find(conn, organization_id, id)? else {
            return Ok(Guarded::NotFound);
        };
        if !accepts(seen.version) {
            return Ok(Guarded::Stale);
        }
        // Takes the row (locked on PostgreSQL until the commit) only while it is at the version
        // seen; once held, its files and then itself go.
        let held = diesel::update(Self::at_version(id, seen.version))
            .set(tasks::version.eq(seen.version))
            .execute(conn)?;
        if held == 0 {
            return Ok(Guarded::Stale);
        }
        let files = AttachmentRow::delete_for_task(conn, organization_id, id)?;
        diesel::delete(tasks::table.find(id)).execute(conn)?;
        Ok(Guarded::Done(files))
    }

    /// The task `id` while it is still at `version`.
    fn at_version(
        id: i64,
        version: i64,
    ) -> diesel::dsl::Filter<
        diesel::dsl::Find<tasks::table, i64>,
        diesel::dsl::Eq<tasks::version, i64>,
    > {
        tasks::table.find(id).filter(tasks::version.eq(version))
    }
}
