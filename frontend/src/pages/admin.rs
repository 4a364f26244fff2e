//! /admin (site admins only): the users and the organisations, newest first; granting credits,
//! disabling and enabling accounts.

mod grant_row;
mod orgs;
mod users;

use shared::dto::{OrgBalance, PageQuery, User};
use yew::prelude::*;

use crate::{
    api,
    components::{self, ListText, ui},
    hooks::{use_pages, use_title},
};

/// Rows per page.
const PAGE: i64 = 50;

#[function_component(Admin)]
pub fn admin() -> Html {
    use_title("Admin");
    let users = use_pages((), PAGE, PAGE, |limit, before| {
        api::admin_users(PageQuery {
            limit: Some(limit),
            before,
        })
    });
    let orgs = use_pages((), PAGE, PAGE, |limit, before| {
        api::admin_orgs(PageQuery {
            limit: Some(limit),
            before,
        })
    });
    // A grant sets an organisation's balance, which both lists show (a user's is their personal
    // organisation's); the rest of the rows stay as they are.
    let on_granted = {
        let (users, orgs) = (users.clone(), orgs.clone());
        Callback::from(move |(org_id, credits): (i64, i64)| {
            users.update(move |user: &mut User| {
                if user.organization.id == org_id {
                    user.credits = credits;
                }
            });
            orgs.update(move |org: &mut OrgBalance| {
                if org.organization.id == org_id {
                    org.credits = credits;
                }
            });
        })
    };
    let on_changed = users.replacer();
    let user_list = components::paged_list(
        &users,
        ListText {
            loading: "Loading users…",
            empty: "No users yet.",
            more: "Show more",
        },
        |rows| {
            html! {
                <ul class="divide-y divide-slate-100" data-testid="admin-users">
                    { for rows.iter().map(|u| html! {
                        <users::UserRow key={u.id.to_string()} user={u.clone()} on_changed={on_changed.clone()} on_granted={on_granted.clone()} />
                    }) }
                </ul>
            }
        },
    );
    let org_list = components::paged_list(
        &orgs,
        ListText {
            loading: "Loading organizations…",
            empty: "No organizations yet.",
            more: "Show more",
        },
        |rows| {
            html! {
                <ul class="divide-y divide-slate-100" data-testid="admin-orgs">
                    { for rows.iter().map(|org| orgs::org_row(org, &on_granted)) }
                </ul>
            }
        },
    );
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "Admin", children: html! { { "Newest first. Disabling an account signs it out everywhere at once; credits granted to a user go to their personal organization." } } })) }
            { ui::card(yew::props!(ui::CardProps { id: "users", title: "Users", children: user_list })) }
            { ui::card(yew::props!(ui::CardProps { id: "organizations", title: "Organizations", children: org_list })) }
        </div>
    }
}

/// A small rounded label; `colors` are its background and text classes.
fn badge(text: &'static str, colors: &'static str) -> Html {
    html! { <span class={classes!("rounded-full", "px-2", "py-0.5", "font-medium", colors)}>{ text }</span> }
}
