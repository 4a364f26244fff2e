//! `/api/admin/*` and the command-line tasks that bootstrap admins and credits.

mod grants;
mod orgs;
mod tasks;
mod updates;
mod users;
