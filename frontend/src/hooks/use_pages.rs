//! `use_pages`: a list the API serves newest first, page by page, read with its keyset cursor.
//! The first page loads when the component mounts and whenever `deps` change; "Show more" asks
//! for the entries `before` the last one shown, so every row is reachable however long the list.

use std::{cell::RefCell, future::Future, rc::Rc};

use futures::{FutureExt, future::LocalBoxFuture};
use shared::dto::{ApiKey, LedgerEntry, OrgBalance, Task, User};
use yew::{platform::spawn_local, prelude::*};

use super::use_effect_on;

use super::Load;
use crate::api::ApiError;

/// A row of a paginated list: its id is the API's `before` cursor (ids only grow).
pub trait Cursor {
    fn cursor(&self) -> i64;
}

impl Cursor for LedgerEntry {
    fn cursor(&self) -> i64 {
        self.id
    }
}

impl Cursor for User {
    fn cursor(&self) -> i64 {
        self.id
    }
}

impl Cursor for ApiKey {
    fn cursor(&self) -> i64 {
        self.id
    }
}

impl Cursor for Task {
    fn cursor(&self) -> i64 {
        self.id
    }
}

impl Cursor for OrgBalance {
    fn cursor(&self) -> i64 {
        self.organization.id
    }
}

/// The rows shown so far and the state of "Show more".
#[derive(Debug, Clone, PartialEq)]
pub struct Rows<T> {
    pub items: Vec<T>,
    /// The last page came back short: there is nothing older.
    pub complete: bool,
    /// Why the last "Show more" failed (the rows already shown stay).
    pub more_error: Option<ApiError>,
    /// The request number of the "Show more" page on its way, if any.
    pending: Option<u32>,
}

impl<T> Rows<T> {
    /// "Show more" is waiting for its page.
    pub fn loading_more(&self) -> bool {
        self.pending.is_some()
    }
}

/// The reducer's state: the first page's `Load`, then the rows.
struct Pages<T>(Load<Rows<T>>);

/// What happened to the list; pages carry their limit, "Show more" its request number.
enum Change<T> {
    FirstPage(Result<Vec<T>, ApiError>, i64),
    MoreStarted(u32),
    NextPage(u32, Result<Vec<T>, ApiError>, i64),
    Update(Rc<dyn Fn(&mut T)>),
}

impl<T: Cursor + Clone> Reducible for Pages<T> {
    type Action = Change<T>;

    fn reduce(self: Rc<Self>, change: Change<T>) -> Rc<Self> {
        let next = match (change, &self.0) {
            (Change::FirstPage(Ok(items), limit), _) => Load::Ready(Rows {
                complete: (items.len() as i64) < limit,
                items,
                more_error: None,
                pending: None,
            }),
            (Change::FirstPage(Err(e), _), _) => Load::Failed(e),
            (Change::MoreStarted(request), Load::Ready(rows)) => Load::Ready(Rows {
                pending: Some(request),
                more_error: None,
                ..rows.clone()
            }),
            // Only the page asked for after the rows on screen: a first page that arrived
            // meanwhile has replaced the rows an older request would follow.
            (Change::NextPage(request, page, limit), Load::Ready(rows))
                if rows.pending == Some(request) =>
            {
                let mut rows = Rows {
                    pending: None,
                    ..rows.clone()
                };
                match page {
                    Ok(page) => {
                        rows.complete = (page.len() as i64) < limit;
                        rows.items.extend(page);
                    }
                    Err(e) => rows.more_error = Some(e),
                }
                Load::Ready(rows)
            }
            (Change::Update(change), Load::Ready(rows)) => {
                let mut rows = rows.clone();
                for row in &mut rows.items {
                    change(row);
                }
                Load::Ready(rows)
            }
            // Anything else concerns a list no longer on screen.
            _ => return self,
        };
        Rc::new(Pages(next))
    }
}

type Fetch<T> = Rc<dyn Fn(i64, Option<i64>) -> LocalBoxFuture<'static, Result<Vec<T>, ApiError>>>;

/// What `use_pages` returns: the rows, "Show more", and updating one row in place.
pub struct UsePagesHandle<T: Cursor + Clone + 'static> {
    state: UseReducerHandle<Pages<T>>,
    show_more: Callback<()>,
}

impl<T: Cursor + Clone + 'static> Clone for UsePagesHandle<T> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            show_more: self.show_more.clone(),
        }
    }
}

impl<T: Cursor + Clone + 'static> UsePagesHandle<T> {
    /// The first page loading or failed, then the rows.
    pub fn state(&self) -> &Load<Rows<T>> {
        &self.state.0
    }

    /// Loads the page before the last row shown and appends it.
    pub fn show_more(&self) -> Callback<()> {
        self.show_more.clone()
    }

    /// Puts `item` in place of the row with the same id (an edit the API answered with).
    pub fn replace(&self, item: T) {
        let id = item.cursor();
        self.update(move |row| {
            if row.cursor() == id {
                *row = item.clone();
            }
        });
    }

    /// `replace` as a callback: a row's "the API answered with this".
    pub fn replacer(&self) -> Callback<T> {
        let pages = self.clone();
        Callback::from(move |item| pages.replace(item))
    }

    /// Applies `change` to every row shown (say, a new balance to the rows it concerns).
    pub fn update(&self, change: impl Fn(&mut T) + 'static) {
        self.state.dispatch(Change::Update(Rc::new(change)));
    }
}

/// `fetch(limit, before)` loads one page: the first `first` rows, then `more` at a time.
#[hook]
pub fn use_pages<T, D, F, Fut>(deps: D, first: i64, more: i64, fetch: F) -> UsePagesHandle<T>
where
    T: Cursor + Clone + 'static,
    D: PartialEq + 'static,
    F: Fn(i64, Option<i64>) -> Fut + 'static,
    Fut: Future<Output = Result<Vec<T>, ApiError>> + 'static,
{
    let state = use_reducer(|| Pages(Load::Loading));
    // Numbers every request; a first page is dropped on arrival when `deps` changed again since.
    let requests = use_counter();
    let latest_first = use_counter();
    let fetch: Fetch<T> = Rc::new(move |limit, before| fetch(limit, before).boxed_local());
    {
        let (state, fetch) = (state.dispatcher(), fetch.clone());
        let (requests, latest_first) = (requests.clone(), latest_first.clone());
        use_effect_on(
            deps,
            Box::new(move |_: &D| {
                let request = next(&requests);
                *latest_first.borrow_mut() = request;
                spawn_local(async move {
                    let page = fetch(first, None).await;
                    if *latest_first.borrow() == request {
                        state.dispatch(Change::FirstPage(page, first));
                    }
                });
            }),
        );
    }
    let show_more = {
        let state = state.clone();
        Callback::from(move |()| {
            let Load::Ready(rows) = &state.0 else { return };
            if rows.loading_more() || rows.complete {
                return;
            }
            let (request, state) = (next(&requests), state.dispatcher());
            let page = fetch(more, rows.items.last().map(Cursor::cursor));
            state.dispatch(Change::MoreStarted(request));
            spawn_local(async move { state.dispatch(Change::NextPage(request, page.await, more)) });
        })
    };
    UsePagesHandle { state, show_more }
}

fn next(counter: &RefCell<u32>) -> u32 {
    let mut counter = counter.borrow_mut();
    *counter = counter.wrapping_add(1);
    *counter
}

/// A request counter: one compiled copy, not one per closure type and page type.
#[hook]
fn use_counter() -> Rc<RefCell<u32>> {
    use_mut_ref(|| 0u32)
}
