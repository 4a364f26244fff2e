//! The organisation switcher of the navigation bar: the organisations the user belongs to, the
//! one the session acts in chosen.

use yew::prelude::*;

use super::ui::Select;
use crate::{
    api,
    api::ApiError,
    forms::capitalise,
    hooks::{Load, use_load, use_session, use_submit},
};

/// A select named "Organization". Picking another organisation switches the session to it (a new
/// access token); the page then shows that organisation's credits and keys (`RequireAuth`).
/// Nothing without a session.
#[function_component(OrgSwitcher)]
pub fn org_switcher() -> Html {
    let session = use_session();
    let active = session.organization().cloned();
    // Listed again when the organisation acted in changes: one was created, renamed, left...
    let (memberships, _) = use_load(active.clone(), |active| async move {
        match active {
            Some(_) => api::orgs().await,
            None => Ok(Vec::new()),
        }
    });
    let switch = use_submit((), |(), id: i64| async move {
        api::switch_org(id).await?;
        Ok::<_, ApiError>(())
    });
    let Some(active) = active else {
        return html! {};
    };
    let options = match memberships.as_ref() {
        Load::Ready(list) if !list.is_empty() => list
            .iter()
            .map(|m| {
                (
                    AttrValue::from(m.organization.id.to_string()),
                    AttrValue::from(m.organization.name.clone()),
                )
            })
            .collect(),
        // Until the list is in (or if it cannot be read): the one acted in.
        _ => vec![(
            AttrValue::from(active.id.to_string()),
            AttrValue::from(active.name.clone()),
        )],
    };
    let onchange = {
        let (switch, current) = (switch.clone(), active.id);
        Callback::from(move |value: String| {
            if let Ok(id) = value.parse::<i64>()
                && id != current
            {
                switch.run(id);
            }
        })
    };
    html! {
        <div class="flex items-center gap-2">
            <Select id="org-switcher" label="Organization" hide_label=true class="max-w-[9rem] sm:max-w-[11rem]"
                {options} value={AttrValue::from(active.id.to_string())} {onchange} busy={switch.busy()} />
            if let Some(e) = switch.error() {
                <p role="alert" class="text-xs text-red-700">{ capitalise(&e.message) }</p>
            }
        </div>
    }
}
