//! The inputs of a task (title, description, status, due date), shared by the form that adds one
//! and the one that edits one in place: their state, the form they make to check, how they show.

use shared::dto::{Task, TaskStatus};
use yew::prelude::*;

use crate::{
    components::ui::{self, FieldKind, Select},
    format,
    forms::{FormErrors, TaskForm},
    hooks::{UseInputHandle, use_input, use_value},
};

/// The fields an API error can name and the form shows it next to (any other error shows under
/// the form; a status is picked from a list, so it is never the one at fault).
pub const FIELDS: &[&str] = &["title", "description", "due_date"];

/// The state of the four inputs.
#[derive(Clone, PartialEq)]
pub struct TaskFields {
    title: UseInputHandle,
    description: UseInputHandle,
    status: UseStateHandle<TaskStatus>,
    due_date: UseInputHandle,
}

#[hook]
pub fn use_task_fields() -> TaskFields {
    TaskFields {
        title: use_input(),
        description: use_input(),
        status: use_value(TaskStatus::default()),
        due_date: use_input(),
    }
}

impl TaskFields {
    /// Fills the inputs with `task` (an edit starts from it), or empties them (`None`).
    pub fn fill(&self, task: Option<&Task>) {
        self.title
            .set(task.map(|t| t.title.clone()).unwrap_or_default());
        self.description
            .set(task.map(|t| t.description.clone()).unwrap_or_default());
        self.status.set(task.map(|t| t.status).unwrap_or_default());
        let due = task.and_then(|t| t.due_date.as_ref());
        self.due_date
            .set(due.map(format::iso_date).unwrap_or_default());
    }

    /// What the inputs hold, for `forms::create_task` or `forms::update_task`.
    pub fn form(&self) -> TaskForm<'_> {
        TaskForm {
            title: &self.title,
            description: &self.description,
            status: *self.status,
            due_date: &self.due_date,
        }
    }

    /// The inputs, their ids starting with `prefix` (unique on the page), each with its error.
    pub fn view(&self, prefix: &str, errors: &FormErrors) -> Html {
        let id = |name: &str| AttrValue::from(format!("{prefix}{name}"));
        let pick_status = {
            let status = self.status.clone();
            Callback::from(move |value: String| {
                status.set(TaskStatus::parse(&value).unwrap_or_default());
            })
        };
        html! {
            <>
                <div class="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
                    { ui::field(yew::props!(ui::FieldProps { id: id("title"), label: "Title", class: "sm:min-w-64 sm:flex-1", value: self.title.value(), oninput: self.title.oninput(), error: errors.field("title") })) }
                    <Select id={id("status")} label="Status" options={status_options(false)} value={self.status.as_str()} onchange={pick_status} class="sm:w-36" />
                    { ui::field(yew::props!(ui::FieldProps { id: id("due_date"), label: "Due date", kind: FieldKind::Date, class: "sm:w-44", value: self.due_date.value(), oninput: self.due_date.oninput(), error: errors.field("due_date") })) }
                </div>
                { ui::field(yew::props!(ui::FieldProps { id: id("description"), label: "Description", kind: FieldKind::TextArea, rows: 3, placeholder: "Optional", value: self.description.value(), oninput: self.description.oninput(), error: errors.field("description") })) }
            </>
        }
    }
}

/// Each status as (value, text); `with_all` puts "All" (the empty value) first, for a filter.
pub fn status_options(with_all: bool) -> Vec<(AttrValue, AttrValue)> {
    let all = with_all.then_some(("", "All"));
    all.into_iter()
        .chain(TaskStatus::ALL.iter().map(|s| (s.as_str(), s.label())))
        .map(|(value, text)| (AttrValue::Static(value), AttrValue::Static(text)))
        .collect()
}
