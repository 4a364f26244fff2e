//! One task of the list: what it says, "Files" (its attachments, under the row), and for the
//! roles that write tasks "Edit" (the form in place of the row) and "Delete" (confirmed in place).
//! Both send the version the row shows; when someone changed the task meanwhile, the row says so
//! and offers to load their version.

use shared::dto::{ErrorCode, Task, TaskStatus, UpdateTaskRequest};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{
    attachments::Attachments,
    fields::{FIELDS, use_task_fields},
};
use crate::{
    api,
    api::ApiError,
    components::ui::{self, AlertKind, ButtonKind},
    format, forms,
    forms::FormErrors,
    hooks::{use_effect_on, use_focus_first_invalid, use_submit, use_value},
};

/// What the 412 of a change or deletion shows.
const CONFLICT: &str = "Someone changed this task; reload to see their version";

#[derive(Properties, PartialEq)]
pub struct TaskRowProps {
    pub task: Task,
    /// The user's role changes tasks; otherwise the row only reads.
    pub can_write: bool,
    /// Hears the task as the API now has it (saved here, or reloaded after a conflict).
    pub on_changed: Callback<Task>,
    /// Hears that the task is gone (deleted here, or by someone else): the list loads again.
    pub on_gone: Callback<()>,
}

/// What the row is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Reading,
    Editing,
    /// "Delete" was pressed: "Confirm delete" or "Cancel".
    Deleting,
}

/// One component, the edit form's state included: a component of its own would cost its own
/// copy of Yew's lifecycle code in the wasm (the first-load budget).
#[function_component(TaskRow)]
pub fn task_row(props: &TaskRowProps) -> Html {
    let task = &props.task;
    let mode = use_value(Mode::Reading);
    // A change or deletion was refused with 412: the row shows another version than the API's.
    let stale = use_value(false);
    // The task's files are shown (and loaded).
    let files_open = use_value(false);
    let fields = use_task_fields();
    let save = use_submit(
        (
            task.id,
            task.version,
            (mode.clone(), stale.clone()),
            props.on_changed.clone(),
        ),
        |(id, version, (mode, stale), on_changed), request: UpdateTaskRequest| async move {
            let saved = api::update_task(id, version, &request).await.map_err(|e| {
                // A conflict shows nothing in the form: the row's conflict message says it.
                if conflict(&e, &stale) {
                    FormErrors::default()
                } else {
                    FormErrors::from_api(&e, FIELDS)
                }
            })?;
            mode.set(Mode::Reading);
            on_changed.emit(saved);
            Ok(())
        },
    );
    let delete = use_submit(
        (task.id, task.version, stale.clone(), props.on_gone.clone()),
        |(id, version, stale, on_gone), ()| async move {
            api::delete_task(id, version)
                .await
                .inspect_err(|e| _ = conflict(e, &stale))?;
            on_gone.emit(());
            Ok::<_, ApiError>(())
        },
    );
    let reload = use_submit(
        (
            task.id,
            (mode.clone(), stale.clone()),
            (props.on_changed.clone(), props.on_gone.clone()),
        ),
        |(id, (mode, stale), (on_changed, on_gone)), ()| async move {
            let found = api::task(id).await;
            if let Err(e) = &found
                && e.code != ErrorCode::NotFound
            {
                return Err(e.clone());
            }
            stale.set(false);
            mode.set(Mode::Reading);
            match found {
                Ok(task) => on_changed.emit(task),
                // Deleted meanwhile.
                Err(_) => on_gone.emit(()),
            }
            Ok::<_, ApiError>(())
        },
    );
    let errors: FormErrors = save.error().cloned().unwrap_or_default();
    let form = use_focus_first_invalid(errors.clone());
    let confirm_ref = use_node_ref();
    {
        // Focus follows the question: the first input of the form, or "Confirm delete".
        let (form, confirm_ref) = (form.clone(), confirm_ref.clone());
        use_effect_on(
            *mode,
            Box::new(move |mode: &Mode| {
                let target = match mode {
                    Mode::Editing => form
                        .cast::<web_sys::Element>()
                        .and_then(|f| f.query_selector("input").ok().flatten()),
                    Mode::Deleting => confirm_ref.cast::<web_sys::Element>(),
                    Mode::Reading => None,
                };
                if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = target.focus();
                }
            }),
        );
    }
    let set_mode = |to: Mode| {
        let (mode, fields, task) = (mode.clone(), fields.clone(), task.clone());
        Callback::from(move |_| {
            if to == Mode::Editing {
                fields.fill(Some(&task));
            }
            mode.set(to);
        })
    };
    // Names the row (its buttons are described by it); the inputs' ids are `task-{id}-<field>`.
    let title_id = AttrValue::from(format!("task-{}-name", task.id));
    let conflict = stale.then(|| {
        ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, testid: "task-conflict", children: html! {
            <div class="flex flex-wrap items-center justify-between gap-2">
                <p data-testid="task-conflict-message">{ CONFLICT }</p>
                { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, busy: reload.busy(), onclick: reload.reform(|_| ()), describedby: title_id.clone(), children: html! { { "Reload task" } } })) }
            </div>
        } }))
    });
    let failed = reload
        .error()
        .or(delete.error())
        .filter(|e| e.code != ErrorCode::PreconditionFailed);

    if *mode == Mode::Editing {
        let onsubmit = {
            let (fields, task) = (fields.clone(), task.clone());
            save.onsubmit(move || forms::update_task(&fields.form(), &task))
        };
        return html! {
            <li class="space-y-3 py-4" data-testid="task-row">
                <form ref={form} {onsubmit} novalidate=true aria-labelledby={title_id.clone()} class="flex flex-col gap-3">
                    <p id={title_id} class="text-sm font-semibold text-slate-900">{ format!("Editing “{}”", task.title) }</p>
                    { fields.view(&format!("task-{}-", task.id), &errors) }
                    <div class="flex flex-wrap gap-2">
                        { ui::button(yew::props!(ui::ButtonProps { submit: true, busy: save.busy(), children: html! { { "Save" } } })) }
                        { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Ghost, onclick: set_mode(Mode::Reading), disabled: save.busy(), children: html! { { "Cancel" } } })) }
                    </div>
                    if let Some(message) = errors.general() {
                        { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { message } } })) }
                    }
                </form>
                { for conflict }
            </li>
        };
    }

    let files_id = AttrValue::from(format!("task-{}-files", task.id));
    let toggle_files = {
        let files_open = files_open.clone();
        Callback::from(move |_| files_open.set(!*files_open))
    };
    html! {
        <li class="space-y-3 py-4" data-testid="task-row">
            <div class="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                <div class="min-w-0 space-y-1">
                    <p id={title_id.clone()} class="break-words font-medium text-slate-900">{ &task.title }</p>
                    <p class="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500">
                        { status_badge(task.status) }
                        if let Some(due) = &task.due_date {
                            <span data-testid="task-due">{ format!("Due {}", format::day_of_year(due)) }</span>
                        }
                        <span>{ format!("Created {}", format::date(&task.created_at)) }</span>
                    </p>
                    if !task.description.is_empty() {
                        <p class="whitespace-pre-line break-words text-sm text-slate-700">{ &task.description }</p>
                    }
                    { for conflict }
                    if let Some(e) = failed {
                        <p role="alert" class="text-sm text-red-700">{ e.to_string() }</p>
                    }
                </div>
                <div class="flex shrink-0 flex-wrap items-center gap-2">
                    if *mode == Mode::Deleting {
                        { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Danger, node_ref: confirm_ref, busy: delete.busy(), onclick: delete.reform(|_| ()), describedby: title_id, children: html! { { "Confirm delete" } } })) }
                        { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Ghost, onclick: set_mode(Mode::Reading), disabled: delete.busy(), children: html! { { "Cancel" } } })) }
                    } else {
                        // A disclosure: the files load when it opens, not for every task listed.
                        <button type="button" class={classes!(ButtonKind::Secondary.classes(), "aria-expanded:bg-slate-100")} onclick={toggle_files}
                            aria-expanded={files_open.to_string()} aria-controls={files_open.then(|| files_id.clone())}
                            aria-describedby={title_id.clone()}>
                            { "Files" }
                        </button>
                        if props.can_write {
                            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, onclick: set_mode(Mode::Editing), describedby: title_id.clone(), children: html! { { "Edit" } } })) }
                            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, onclick: set_mode(Mode::Deleting), describedby: title_id, children: html! { { "Delete" } } })) }
                        }
                    }
                </div>
            </div>
            if *files_open {
                <div id={files_id} class="rounded-lg bg-slate-50 p-3 ring-1 ring-inset ring-slate-200 sm:p-4">
                    <Attachments task_id={task.id} can_write={props.can_write} />
                </div>
            }
        </li>
    }
}

/// Whether `e` is the 412 of a change based on an older version; if so, the row is marked stale.
fn conflict(e: &ApiError, stale: &UseStateHandle<bool>) -> bool {
    let stale_version = e.code == ErrorCode::PreconditionFailed;
    if stale_version {
        stale.set(true);
    }
    stale_version
}

/// The status as a coloured pill.
fn status_badge(status: TaskStatus) -> Html {
    let look = match status {
        TaskStatus::Todo => "bg-slate-100 text-slate-700 ring-slate-200",
        TaskStatus::Doing => "bg-amber-50 text-amber-800 ring-amber-200",
        TaskStatus::Done => "bg-emerald-50 text-emerald-800 ring-emerald-200",
    };
    html! {
        <span data-testid="task-status"
            class={classes!("rounded-full", "px-2", "py-0.5", "font-medium", "ring-1", "ring-inset", look)}>
            { status.label() }
        </span>
    }
}
