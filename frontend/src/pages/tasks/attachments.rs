//! The files of one task: each with its size, "Download" and, for the roles that write tasks,
//! "Delete" (confirmed in place); "Attach file" uploads the chosen file at once and shows how much
//! of it is sent.

use shared::dto::Attachment;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

use crate::{
    api,
    api::ApiError,
    components::{
        Confirm,
        ui::{self, AlertKind, ButtonKind},
    },
    format,
    forms::capitalise,
    hooks::{Load, use_load, use_submit, use_value},
};

#[derive(Properties, PartialEq)]
pub struct AttachmentsProps {
    pub task_id: i64,
    /// The user's role changes tasks: attach and delete files.
    pub can_write: bool,
}

/// What a file's buttons do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileAction {
    Download,
    Delete,
}

/// A component of its own, shown when the row opens its files: its hooks load them only then.
#[function_component(Attachments)]
pub fn attachments(props: &AttachmentsProps) -> Html {
    let task_id = props.task_id;
    let (files, reload) = use_load(task_id, api::attachments);
    // The file on its way and the percentage of it sent.
    let sending = use_value((String::new(), 0u32));
    let upload = use_submit(
        (sending.clone(), reload.clone()),
        move |(sending, reload), file: File| async move {
            let name = file.name();
            sending.set((name.clone(), 0));
            let progress = Callback::from(move |sent| sending.set((name.clone(), sent)));
            api::upload_attachment(task_id, &file, &progress).await?;
            reload.emit(());
            Ok::<_, ApiError>(())
        },
    );
    // The file acted on last: its buttons show the spinner, its row the error.
    let acted = use_value((0i64, FileAction::Download));
    let act = use_submit(
        reload,
        |reload, (file, action): (Attachment, FileAction)| async move {
            match action {
                FileAction::Download => api::download_attachment(&file).await,
                FileAction::Delete => {
                    api::delete_attachment(file.id).await?;
                    reload.emit(());
                    Ok(())
                }
            }
        },
    );
    let onchange = {
        let upload = upload.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|files| files.get(0));
            // Emptied, so that choosing the same file again is a change too.
            input.set_value("");
            if let Some(file) = file {
                upload.run(file);
            }
        })
    };

    let busy = act.busy();
    let row = |file: &Attachment| {
        let name_id = AttrValue::from(format!("attachment-{}-name", file.id));
        let this = acted.0 == file.id;
        let run = |action: FileAction| {
            let (act, acted, file) = (act.clone(), acted.clone(), file.clone());
            Callback::from(move |_: MouseEvent| {
                if !act.busy() {
                    acted.set((file.id, action));
                    act.run((file.clone(), action));
                }
            })
        };
        let doing = |action: FileAction| busy && this && acted.1 == action;
        html! {
            <li key={file.id.to_string()} data-testid="attachment"
                class="flex flex-col gap-2 py-2 first:pt-0 sm:flex-row sm:items-center sm:justify-between">
                <div class="min-w-0 text-sm">
                    <span id={name_id.clone()} class="break-all font-medium text-slate-800" data-testid="attachment-name">{ &file.name }</span>
                    <span class="ml-2 whitespace-nowrap text-xs text-slate-500" data-testid="attachment-size">{ format::bytes(file.size) }</span>
                    if let (true, Some(e)) = (this, act.error()) {
                        <p role="alert" class="mt-1 text-red-700">{ capitalise(&e.message) }</p>
                    }
                </div>
                <div class="flex shrink-0 flex-wrap items-center gap-2">
                    { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Ghost, busy: doing(FileAction::Download), disabled: busy, onclick: run(FileAction::Download), describedby: name_id.clone(), children: html! { { "Download" } } })) }
                    if props.can_write {
                        <Confirm label="Delete" kind={ButtonKind::Ghost} describedby={name_id}
                            question="Delete this file?" confirm="Yes, delete it" dismiss="Keep it"
                            busy={doing(FileAction::Delete)} onconfirm={run(FileAction::Delete)} />
                    }
                </div>
            </li>
        }
    };
    let list = match files.as_ref() {
        Load::Loading => ui::loading(yew::props!(ui::LoadingProps {
            label: "Loading files…"
        })),
        Load::Failed(e) => ui::alert(yew::props!(ui::AlertProps {
            kind: AlertKind::Error,
            children: html! { { capitalise(&e.message) } }
        })),
        Load::Ready(list) if list.is_empty() => {
            html! { <p class="text-sm text-slate-500">{ "No files yet." }</p> }
        }
        Load::Ready(list) => html! {
            <ul class="divide-y divide-slate-200" data-testid="attachments">{ for list.iter().map(row) }</ul>
        },
    };
    let input_id = format!("task-{task_id}-file");
    let hint_id = format!("{input_id}-hint");
    let progress_id = format!("task-{task_id}-upload");
    html! {
        <div class="space-y-3">
            { list }
            if props.can_write {
                <div class="space-y-1.5">
                    <div class="flex flex-wrap items-center gap-x-3 gap-y-2">
                        <input id={input_id.clone()} type="file" class="peer sr-only" {onchange}
                            disabled={upload.busy()} aria-describedby={hint_id.clone()} />
                        <label for={input_id} class={classes!(ButtonKind::Secondary.classes(), "cursor-pointer", "peer-focus-visible:outline-2", "peer-focus-visible:outline-offset-2", "peer-focus-visible:outline-brand-600", "peer-disabled:cursor-not-allowed", "peer-disabled:opacity-60")}>
                            { "Attach file" }
                        </label>
                        if upload.busy() {
                            <label for={progress_id.clone()} class="min-w-0 truncate text-sm text-slate-700">{ format!("Uploading {}", sending.0) }</label>
                            <progress id={progress_id} max="100" value={sending.1.to_string()}
                                class="h-2 w-32 appearance-none overflow-hidden rounded-full bg-slate-200 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-brand-600 [&::-moz-progress-bar]:bg-brand-600" />
                            <span class="text-xs tabular-nums text-slate-500" aria-hidden="true">{ format!("{}%", sending.1) }</span>
                        }
                    </div>
                    <p id={hint_id} class="text-xs text-slate-500">{ "PNG, JPEG, GIF, WebP, PDF or plain text." }</p>
                </div>
                if let Some(e) = upload.error() {
                    { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, testid: "upload-error", children: html! { { capitalise(&e.message) } } })) }
                }
            }
        </div>
    }
}
