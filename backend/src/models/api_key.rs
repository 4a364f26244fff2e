//! API keys: stored as a SHA-256 hash with a visible prefix, shown once, revoked at once. A key
//! belongs to an organisation and acts for it; it records the member who created it and keeps
//! working when they leave (until an owner or admin revokes it).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use shared::dto::{ApiKey, CreatedKey, Scope};

use super::{OrganizationRow, UserRow, key_spend::Window, ledger::Spent, now, to_utc};
use crate::auth::secret::{random_token, sha256_hex};
use crate::db::{
    AnyConnection, BatchLoad,
    schema::{api_keys, organizations, users},
};

/// Keys read `sk_` + 43 letters and digits: ~256 bits, recognisable in logs and by secret scanners.
pub const KEY_PREFIX: &str = "sk_";
const KEY_RANDOM_LEN: usize = 43;
/// How much of the key lists show, to tell keys apart.
const DISPLAY_PREFIX_LEN: usize = 12;
/// `last_used_at` is refreshed at most this often, so a hot key does not turn every call into
/// two writes.
pub const LAST_USED_RESOLUTION: TimeDelta = TimeDelta::seconds(60);

#[derive(Debug, Clone, Queryable, Identifiable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// What the key may do, as stored (`ScopeSet::to_column`).
    pub scopes: String,
    /// When it stops working; `None`: never.
    pub expires_at: Option<NaiveDateTime>,
    /// The key that replaced it in a rotation.
    pub replaced_by: Option<i64>,
    pub spend_limit_daily: Option<i64>,
    pub spend_limit_monthly: Option<i64>,
    /// What it spent in the window starting at `spent_day_start` (kept for keys with a limit).
    pub spent_day: i64,
    pub spent_day_start: Option<NaiveDateTime>,
    pub spent_month: i64,
    pub spent_month_start: Option<NaiveDateTime>,
    /// Its own requests per minute, on top of the API's per-user limit.
    pub rate_limit_per_minute: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = api_keys)]
struct NewApiKey<'a> {
    organization_id: i64,
    created_by: i64,
    name: &'a str,
    prefix: &'a str,
    key_hash: &'a str,
    created_at: NaiveDateTime,
    scopes: String,
    expires_at: Option<NaiveDateTime>,
    spend_limit_daily: Option<i64>,
    spend_limit_monthly: Option<i64>,
    rate_limit_per_minute: Option<i64>,
}

/// What a new key is: its name, what it may do, when it stops working, how much it may spend
/// per UTC day and month and how many requests it may make per minute.
#[derive(Debug, Clone)]
pub struct KeySpec {
    pub name: String,
    pub scopes: ScopeSet,
    pub expires_at: Option<NaiveDateTime>,
    pub spend_limit_daily: Option<i64>,
    pub spend_limit_monthly: Option<i64>,
    pub rate_limit_per_minute: Option<i64>,
}

impl KeySpec {
    /// Every scope, no expiry: what a key creation that names neither gets.
    pub fn unrestricted(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            scopes: Scope::ALL.into_iter().collect(),
            expires_at: None,
            spend_limit_daily: None,
            spend_limit_monthly: None,
            rate_limit_per_minute: None,
        }
    }
}

/// A key's scopes as a set: copied into every caller a key authenticates, tested per route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u8);

impl ScopeSet {
    fn bit(scope: Scope) -> u8 {
        1 << scope as u8
    }

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & Self::bit(scope) != 0
    }

    /// From the stored space-separated names; a name this version does not know grants nothing.
    pub fn from_column(stored: &str) -> Self {
        stored.split_whitespace().filter_map(Scope::parse).collect()
    }

    pub fn to_column(self) -> String {
        self.to_vec()
            .into_iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// In `Scope::ALL` order.
    pub fn to_vec(self) -> Vec<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|scope| self.contains(*scope))
            .collect()
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Self {
        Self(
            scopes
                .into_iter()
                .fold(0, |set, scope| set | Self::bit(scope)),
        )
    }
}

/// What a rotation came to.
#[derive(Debug)]
pub enum Rotation {
    /// The new key, shown this once; the old one works until the grace period ends.
    Rotated(CreatedKey),
    /// No live key of the organisation's with that id: nothing written.
    NotFound,
    /// The key was rotated already: rotate its replacement. Nothing written.
    AlreadyReplaced,
}

/// What a key creation came to.
#[derive(Debug)]
pub enum CreateKey {
    /// The only place the key ever appears.
    Created(CreatedKey),
    /// The organisation already holds the most live keys allowed: nothing written.
    LimitReached,
}

impl ApiKeyRow {
    /// Creates a key of `organization_id` as `spec` says, made by `created_by` at `at`, unless
    /// the organisation already holds `max` live (unrevoked, unexpired) ones. Run it inside
    /// `Db::write`: the count and the insert are one transaction, serialised per organisation, so
    /// concurrent creations never pass the cap.
    pub fn create(
        conn: &mut AnyConnection,
        organization_id: i64,
        created_by: i64,
        spec: &KeySpec,
        max: u32,
        at: NaiveDateTime,
    ) -> QueryResult<CreateKey> {
        // Two creations cannot both count the keys before either inserts.
        OrganizationRow::lock(conn, organization_id)?;
        let live: i64 = api_keys::table
            .filter(api_keys::organization_id.eq(organization_id))
            .filter(api_keys::revoked_at.is_null())
            .filter(
                api_keys::expires_at
                    .is_null()
                    .or(api_keys::expires_at.gt(at)),
            )
            .count()
            .get_result(conn)?;
        if live >= i64::from(max) {
            return Ok(CreateKey::LimitReached);
        }
        Self::insert(conn, organization_id, created_by, spec, at).map(CreateKey::Created)
    }

    /// Writes a new key as `spec` says and returns it, the secret shown this once.
    fn insert(
        conn: &mut AnyConnection,
        organization_id: i64,
        created_by: i64,
        spec: &KeySpec,
        at: NaiveDateTime,
    ) -> QueryResult<CreatedKey> {
        let key = format!("{KEY_PREFIX}{}", random_token(KEY_RANDOM_LEN));
        let prefix = &key[..DISPLAY_PREFIX_LEN];
        let id = diesel::insert_into(api_keys::table)
            .values(NewApiKey {
                organization_id,
                created_by,
                name: &spec.name,
                prefix,
                key_hash: &sha256_hex(&key),
                created_at: at,
                scopes: spec.scopes.to_column(),
                expires_at: spec.expires_at,
                spend_limit_daily: spec.spend_limit_daily,
                spend_limit_monthly: spec.spend_limit_monthly,
                rate_limit_per_minute: spec.rate_limit_per_minute,
            })
            .returning(api_keys::id)
            .get_result(conn)?;
        Ok(CreatedKey {
            id,
            name: spec.name.clone(),
            prefix: prefix.to_owned(),
            key,
            scopes: spec.scopes.to_vec(),
            expires_at: spec.expires_at.map(to_utc),
            spend_limit_daily: spec.spend_limit_daily,
            spend_limit_monthly: spec.spend_limit_monthly,
            rate_limit_per_minute: spec.rate_limit_per_minute,
            created_at: to_utc(at),
        })
    }

    /// Replaces the organisation's live key `id` with a new secret of the same name, scopes and
    /// expiry, made by `by` at `at`; the old secret works for `grace` more (never past its own
    /// expiry), then answers 401. Run it inside `Db::write`. A rotation never meets the key cap:
    /// the old key is on its way out.
    pub fn rotate(
        conn: &mut AnyConnection,
        organization_id: i64,
        id: i64,
        by: i64,
        grace: std::time::Duration,
        at: NaiveDateTime,
    ) -> QueryResult<Rotation> {
        // The key's row, not the organisation's, is what rotations of it serialise on: a paid
        // call locks the key before the organisation, and the same order here cannot deadlock.
        let live = api_keys::table
            .filter(api_keys::id.eq(id))
            .filter(api_keys::organization_id.eq(organization_id))
            .filter(api_keys::revoked_at.is_null());
        let old: Option<Self> = if let AnyConnection::Postgresql(pg) = conn {
            live.for_update().first(pg).optional()?
        } else {
            live.first(conn).optional()?
        };
        let Some(old) = old.filter(|k| !k.is_expired(at)) else {
            return Ok(Rotation::NotFound);
        };
        if old.replaced_by.is_some() {
            return Ok(Rotation::AlreadyReplaced);
        }
        let spec = KeySpec {
            name: old.name.clone(),
            scopes: old.scope_set(),
            expires_at: old.expires_at,
            spend_limit_daily: old.spend_limit_daily,
            spend_limit_monthly: old.spend_limit_monthly,
            rate_limit_per_minute: old.rate_limit_per_minute,
        };
        let created = Self::insert(conn, organization_id, by, &spec, at)?;
        // The new secret goes on counting the old one's windows: a rotation resets no limit.
        diesel::update(api_keys::table.find(created.id))
            .set((
                api_keys::spent_day.eq(old.spent_day),
                api_keys::spent_day_start.eq(old.spent_day_start),
                api_keys::spent_month.eq(old.spent_month),
                api_keys::spent_month_start.eq(old.spent_month_start),
            ))
            .execute(conn)?;
        let grace_ends = super::after(at, grace);
        let old_expiry = old.expires_at.map_or(grace_ends, |e| e.min(grace_ends));
        diesel::update(api_keys::table.find(old.id))
            .set((
                api_keys::replaced_by.eq(created.id),
                api_keys::expires_at.eq(old_expiry),
            ))
            .execute(conn)?;
        Ok(Rotation::Rotated(created))
    }

    /// A page of the organisation's keys, newest first: unrevoked ones, but not a rotated key
    /// once its grace period has ended at `at`; `before` is the id of the last key already seen
    /// (keyset, never OFFSET).
    pub fn page(
        conn: &mut AnyConnection,
        organization_id: i64,
        limit: i64,
        before: Option<i64>,
        at: NaiveDateTime,
    ) -> QueryResult<Vec<Self>> {
        api_keys::table
            .filter(api_keys::organization_id.eq(organization_id))
            .filter(api_keys::revoked_at.is_null())
            .filter(
                api_keys::replaced_by
                    .is_null()
                    .or(api_keys::expires_at.gt(at)),
            )
            .filter(api_keys::id.lt(before.unwrap_or(i64::MAX)))
            .order(api_keys::id.desc())
            .limit(limit)
            .load(conn)
    }

    /// Revokes one of the organisation's keys; `false` when it is not the organisation's or
    /// already revoked.
    pub fn revoke(conn: &mut AnyConnection, organization_id: i64, id: i64) -> QueryResult<bool> {
        diesel::update(
            api_keys::table
                .filter(api_keys::id.eq(id))
                .filter(api_keys::organization_id.eq(organization_id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(now()))
        .execute(conn)
        .map(|n| n == 1)
    }

    /// Revokes every live key the user created, in every organisation (after a suspected leak:
    /// they have seen those keys); returns how many.
    pub fn revoke_all_created_by(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
        diesel::update(
            api_keys::table
                .filter(api_keys::created_by.eq(user_id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(now()))
        .execute(conn)
    }

    /// The live key with this value, its creator and its organisation.
    pub fn authenticate(conn: &mut AnyConnection, key: &str) -> QueryResult<Option<KeyOwner>> {
        match KeyOwner::lookup_hash(key) {
            Some(hash) => Ok(KeyOwner::load(conn, &[hash])?.pop()),
            None => Ok(None),
        }
    }

    /// Whether key `id` is (or was: revoked ones too) the organisation's.
    pub fn is_of(conn: &mut AnyConnection, organization_id: i64, id: i64) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            api_keys::table
                .filter(api_keys::id.eq(id))
                .filter(api_keys::organization_id.eq(organization_id)),
        ))
        .get_result(conn)
    }

    /// Whether paid calls with it count against a spend limit.
    pub fn is_limited(&self) -> bool {
        self.spend_limit_daily.is_some() || self.spend_limit_monthly.is_some()
    }

    pub fn scope_set(&self) -> ScopeSet {
        ScopeSet::from_column(&self.scopes)
    }

    /// Whether the key has stopped working at `at` (its expiry is the first instant it fails).
    pub fn is_expired(&self, at: NaiveDateTime) -> bool {
        self.expires_at.is_some_and(|expiry| expiry <= at)
    }

    pub fn needs_touch(&self, at: NaiveDateTime) -> bool {
        self.last_used_at
            .is_none_or(|last| at - last >= LAST_USED_RESOLUTION)
    }

    pub fn touch(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(api_keys::table.find(id))
            .set(api_keys::last_used_at.eq(at))
            .execute(conn)
            .map(drop)
    }

    /// As listed at `at`, with what it spent: a limited key as its windows count it (a rotation
    /// carries the count over), any other as the ledger sums its calls (`ledger`).
    pub fn to_dto(&self, at: NaiveDateTime, ledger: Spent) -> ApiKey {
        let spent = if self.is_limited() {
            Spent {
                today: Window::Day.current(self.spent_day, self.spent_day_start, at),
                this_month: Window::Month.current(self.spent_month, self.spent_month_start, at),
            }
        } else {
            ledger
        };
        ApiKey {
            id: self.id,
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            scopes: self.scope_set().to_vec(),
            expires_at: self.expires_at.map(to_utc),
            replaced_by: self.replaced_by,
            spend_limit_daily: self.spend_limit_daily,
            spend_limit_monthly: self.spend_limit_monthly,
            rate_limit_per_minute: self.rate_limit_per_minute,
            spent_today: spent.today,
            spent_this_month: spent.this_month,
            created_at: to_utc(self.created_at),
            last_used_at: self.last_used_at.map(to_utc),
        }
    }
}

/// A live key, the member who created it and the organisation it acts for: what an `X-API-Key`
/// request authenticates as.
#[derive(Debug, Clone)]
pub struct KeyOwner {
    pub key: ApiKeyRow,
    pub creator: UserRow,
    pub organization: OrganizationRow,
}

impl KeyOwner {
    /// What to look a presented key up by; `None` for a value that cannot be one of our keys
    /// (no query needed).
    pub fn lookup_hash(presented: &str) -> Option<String> {
        presented
            .starts_with(KEY_PREFIX)
            .then(|| sha256_hex(presented))
    }
}

/// Live keys by the SHA-256 of their value, many per query (`AppState::keys`).
impl BatchLoad for KeyOwner {
    type Key = String;

    fn key(&self) -> String {
        self.key.key_hash.clone()
    }

    fn load(conn: &mut AnyConnection, hashes: &[String]) -> QueryResult<Vec<Self>> {
        let live = api_keys::table
            .inner_join(users::table)
            .inner_join(organizations::table)
            .filter(api_keys::revoked_at.is_null())
            .select((
                api_keys::all_columns,
                users::all_columns,
                organizations::all_columns,
            ));
        let rows: Vec<(ApiKeyRow, UserRow, OrganizationRow)> = match hashes {
            // The common case when idle: a statement the connection has already prepared.
            [hash] => live.filter(api_keys::key_hash.eq(hash)).load(conn)?,
            _ => live.filter(api_keys::key_hash.eq_any(hashes)).load(conn)?,
        };
        Ok(rows
            .into_iter()
            .map(|(key, creator, organization)| Self {
                key,
                creator,
                organization,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_sets_read_back_as_stored_and_ignore_unknown_names() {
        let all: ScopeSet = Scope::ALL.into_iter().collect();
        assert_eq!(
            all.to_column(),
            "paid:call credits:read tasks:read tasks:write"
        );
        assert_eq!(ScopeSet::from_column(&all.to_column()), all);
        let read = ScopeSet::from_column("credits:read keys:manage");
        assert_eq!(read.to_vec(), [Scope::CreditsRead]);
        assert!(!read.contains(Scope::PaidCall));
        assert_eq!(ScopeSet::from_column("").to_vec(), []);
    }
}
