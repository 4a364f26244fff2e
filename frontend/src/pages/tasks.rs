//! /tasks: the organisation's tasks, newest first, filtered by status, a page at a time, each with
//! its files. Owners, admins and developers add, edit and delete them and their files; billing
//! members read them and download the files.

mod attachments;
mod fields;
mod task_row;

use shared::dto::{Permission, TaskQuery, TaskStatus};
use yew::prelude::*;

use crate::{
    api,
    components::{
        self, ListText,
        ui::{self, AlertKind, Select},
    },
    format, forms,
    forms::FormErrors,
    hooks::{use_focus_first_invalid, use_pages, use_session, use_submit, use_title, use_value},
};
use fields::{FIELDS, status_options, use_task_fields};
use task_row::TaskRow;

/// Tasks per page.
const PAGE: i64 = 20;

/// One component, the form that adds a task included: a component of its own would cost its own
/// copy of Yew's lifecycle code in the wasm (the first-load budget).
#[function_component(Tasks)]
pub fn tasks() -> Html {
    use_title("Tasks");
    let session = use_session();
    let can_write = session.can(Permission::WriteTasks);
    let status = use_value(None::<TaskStatus>);
    // Changes when a task is added or deleted, to list again from the newest.
    let version = use_value(0u32);
    let pages = use_pages((*status, *version), PAGE, PAGE, {
        let status = *status;
        move |limit, before| {
            api::tasks(TaskQuery {
                status,
                limit: Some(limit),
                before,
            })
        }
    });
    let reload = {
        let version = version.clone();
        Callback::from(move |()| version.set(version.wrapping_add(1)))
    };
    let fields = use_task_fields();
    let add = use_submit(
        (fields.clone(), reload.clone()),
        |(fields, reload), request| async move {
            api::create_task(&request)
                .await
                .map_err(|e| FormErrors::from_api(&e, FIELDS))?;
            fields.fill(None);
            reload.emit(());
            Ok(())
        },
    );
    let errors: FormErrors = add.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());

    let onsubmit = {
        let fields = fields.clone();
        add.onsubmit(move || forms::create_task(&fields.form()))
    };
    let pick_status = {
        let status = status.clone();
        Callback::from(move |value: String| status.set(TaskStatus::parse(&value)))
    };
    let on_changed = pages.replacer();
    let list = components::paged_list(
        &pages,
        ListText {
            loading: "Loading tasks…",
            empty: if status.is_some() {
                "No tasks with this status."
            } else {
                "No tasks yet."
            },
            more: "Load more",
        },
        |tasks| {
            html! {
                <ul class="divide-y divide-slate-100" data-testid="task-list">
                    { for tasks.iter().map(|task| html! {
                        <TaskRow key={task.id.to_string()} task={task.clone()} {can_write} on_changed={on_changed.clone()} on_gone={reload.clone()} />
                    }) }
                </ul>
            }
        },
    );
    let filter = html! {
        <Select id="task-filter" label="Status" options={status_options(true)}
            value={status.map_or("", TaskStatus::as_str)} onchange={pick_status} class="w-40" />
    };
    let org = session.organization();
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "Tasks", context: org.map(format::organization), children: html! { { "What the organization is working on, shared by its members." } } })) }
            if can_write {
                { ui::card(yew::props!(ui::CardProps { id: "new-task", title: "Add a task", children: html! {
                    <form ref={form} {onsubmit} novalidate=true class="flex flex-col gap-4">
                        { fields.view("", &errors) }
                        { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: add.busy(), class: "self-start", children: html! { { "Add task" } } })) }
                        if let Some(message) = errors.general() {
                            { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
                        }
                    </form>
                } })) }
            } else if let Some(org) = org {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Info, children: html! { { format!("Your role in {} reads tasks but does not change them: ask one of its owners, admins or developers.", org.name) } } })) }
            }
            { ui::card(yew::props!(ui::CardProps { id: "task-list", title: "The organization's tasks", aside: filter, children: html! { { list } } })) }
        </div>
    }
}
