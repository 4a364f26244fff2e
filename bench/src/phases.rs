//! The measurements of one database: a table of phases, run in order, each a small function that
//! measures one thing and writes its figures and targets in the report's words as it goes. Each
//! is bounded by `Settings::phase` (plus a short warm-up); every server and database they make is
//! gone when the run returns.

use std::{
    future::Future,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use backend::db::AnyConnection;
use futures_util::future::{LocalBoxFuture, try_join_all};
use test_support::{Backend, ScratchDatabase};

use crate::{
    api::{Api, PASSWORD, User},
    inprocess,
    load::{self, Load, LoadResult},
    machine,
    probe::double_spend,
    report::{Findings, Goal, millis, ms, pct, rate},
    server::{Server, Servers},
    settings::{BCRYPT_COST, CONNECTIONS, HEALTHZ_PROBE_RATE, LEDGER_ROWS_PER_USER},
    settings::{LOGIN_CONNECTIONS, ME_USERS, PAID_USER_CREDITS, Settings},
    sql::{self, LedgerCheck},
    upload,
};

type Phase = for<'a> fn(&'a mut DatabaseRun) -> LocalBoxFuture<'a, Result<()>>;

/// Every phase, in order (boxed: async functions have no common type). Each says what it
/// measures, and skips a database it does not apply to.
const PHASES: [Phase; 13] = [
    |run| Box::pin(starts(run)),
    |run| Box::pin(ceiling(run)),
    |run| Box::pin(seed(run)),
    |run| Box::pin(paid(run)),
    |run| Box::pin(paid_keyed(run)),
    |run| Box::pin(me(run)),
    |run| Box::pin(me_users(run)),
    |run| Box::pin(logins(run)),
    |run| Box::pin(probe(run)),
    |run| Box::pin(scale(run)),
    |run| Box::pin(stop(run)),
    |run| Box::pin(upload::uploads(run)),
    |run| Box::pin(replicas(run)),
];

/// Runs every phase on `kind`; a failed phase ends the run.
pub async fn run(settings: &Settings, kind: Backend, scratch: &Path) -> Result<Findings> {
    let (s, scratch) = (settings.clone(), scratch.to_path_buf());
    let (found, main, ledger) = (Findings::default(), None, Ledger::default());
    let mut run = DatabaseRun {
        s,
        kind,
        scratch,
        found,
        main,
        ceiling: 0.0,
        paid: 0.0,
        ledger,
    };
    for phase in PHASES {
        phase(&mut run).await?;
        if let Some(main) = &mut run.main {
            main.server.check_alive()?;
        }
    }
    run.found.targets.sort_by_key(|(goal, ..)| *goal);
    Ok(run.found)
}

/// What the phases of one database share.
pub struct DatabaseRun {
    pub s: Settings,
    pub kind: Backend,
    /// Where SQLite files, uploads and server logs go.
    pub scratch: PathBuf,
    found: Findings,
    /// From the seed phase to the stop phase.
    main: Option<Seeded>,
    /// What later phases compare with: the in-process ceiling (debits/s), the first paid calls
    /// (successes/s) and their ledger, exact only while every paid phase's is.
    ceiling: f64,
    paid: f64,
    ledger: Ledger,
}

/// The main server, on a database seeded through its API, and the users the phases load.
struct Seeded {
    server: Server,
    api: Api,
    conn: AnyConnection,
    admin_token: String,
    paid: User,
    /// The paid user's scoped key with spend and rate limits.
    limited_key: String,
    probe: User,
    me_token: String,
    login_email: String,
    // Last: dropped after the server and the connection.
    db: ScratchDatabase,
}

impl DatabaseRun {
    /// Prints what the phase measures.
    pub fn say(&self, what: &str) {
        eprintln!("bench [{}] {what}", self.kind.name());
    }

    pub fn fresh_database(&self) -> Result<ScratchDatabase> {
        let admin_url = self.s.postgres_admin_url.as_deref();
        ScratchDatabase::create_in(self.kind, &self.scratch, admin_url, "bench")
    }

    pub fn servers(&self, db: &ScratchDatabase) -> Servers {
        Servers::new(&self.s, db.url(), &self.scratch)
    }

    /// Says what a phase on the main server measures; lends the settings and that server.
    fn seeded(&mut self, what: &str) -> Result<(&Settings, &mut Seeded)> {
        self.say(what);
        let main = self.main.as_mut().context("the seed phase has not run")?;
        Ok((&self.s, main))
    }

    /// A row of the figures, also said on the terminal; the latencies are a load's, if any.
    pub fn figure(
        &mut self,
        what: impl Into<String>,
        figure: String,
        load: Option<&LoadResult>,
        notes: String,
    ) {
        eprintln!("        -> {figure}  {notes}");
        let [p50, p99, max] = load
            .map(|l| [l.p50_ms, l.p99_ms, l.max_ms].map(ms))
            .unwrap_or_default();
        self.found
            .figures
            .push([what.into(), figure, p50, p99, max, notes]);
    }

    pub fn target(&mut self, goal: Goal, measured: String, pass: bool) {
        self.found.targets.push((goal, measured, pass));
    }
}

fn successes(per_sec: f64) -> String {
    format!("{} successes/s", rate(per_sec))
}

/// `new` against `old`: the change, and `+1.2% (1,000/s vs 988/s)`.
fn versus(new: f64, old: f64) -> (f64, String) {
    let change = new / old - 1.0;
    let (percent, new, old) = (change * 100.0, rate(new), rate(old));
    (change, format!("{percent:+.1}% ({new}/s vs {old}/s)"))
}

/// `f` on a blocking thread (the in-process measurements, the scale seed).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await?
}

async fn starts(r: &mut DatabaseRun) -> Result<()> {
    r.say("start to ready, empty database");
    let mut starts = Vec::new();
    for _ in 0..r.s.starts {
        let db = r.fresh_database()?;
        starts.push(millis(r.servers(&db).spawn("start")?.wait_ready().await?));
    }
    let each: Vec<String> = starts.iter().map(|ms| format!("{ms:.0}")).collect();
    let (count, each, median) = (each.len(), each.join(", "), inprocess::median(&mut starts));
    let what = "start to ready (spawn to first 200 from /readyz, empty database, migrations \
                included)";
    let notes = format!("{count} starts: {each} ms");
    r.figure(what, format!("median {}", ms(median)), None, notes);
    r.target(Goal::Start, ms(median), median <= 100.0);
    Ok(())
}

async fn ceiling(r: &mut DatabaseRun) -> Result<()> {
    r.say("in-process ceiling of the debit");
    let db = r.fresh_database()?;
    let (url, times) = (db.url().to_owned(), (r.s.warmup, r.s.phase));
    // As many threads as the server's pool has connections (DB_POOL_SIZE, default 8): the most
    // transactions the server itself can have in flight. SQLite has one writer: a raw connection
    // per thread would only fight over the file lock.
    let threads = usize::try_from(inprocess::config_for(&url)?.db_pool_size)?;
    let raw_threads = if r.kind == Backend::Sqlite {
        1
    } else {
        threads
    };
    let ((pool, debits), (raw, _)) = blocking(move || {
        use inprocess::{Path, debit_ceiling};
        let pool = debit_ceiling(&url, Path::Pool, threads, times).context("pool")?;
        let raw = debit_ceiling(&url, Path::Raw, raw_threads, times).context("raw")?;
        Ok((pool, raw))
    })
    .await?;
    r.ceiling = pool;
    let what = format!(
        "in-process debit ceiling: `Db::write_blocking(LedgerRow::post)`, {threads} threads, no \
         HTTP"
    );
    let notes = format!("{debits} debits in {} s", r.s.phase.as_secs());
    r.figure(what, format!("{}/s", rate(pool)), None, notes);
    let what = format!("in-process debit on raw connections (no pool), {raw_threads} thread(s)");
    let notes = format!("the pool path runs at {} of this", pct(pool / raw));
    r.figure(what, format!("{}/s", rate(raw)), None, notes);
    Ok(())
}

async fn seed(r: &mut DatabaseRun) -> Result<()> {
    r.say("seeding through the API (bcrypt cost 12)");
    let db = r.fresh_database()?;
    let servers = r.servers(&db);
    servers.create_admin().await?;
    let mut server = servers.spawn("main")?;
    server.wait_ready().await?;
    let api = Api::new(server.url(""))?;
    let (admin, paid, me, login, probe) = tokio::try_join!(
        api.login_admin(),
        api.signup("paid@bench.invalid"),
        api.signup("me@bench.invalid"),
        api.signup("login@bench.invalid"),
        api.signup("probe@bench.invalid"),
    )?;
    let admin_token = admin.access_token;
    (api.grant(&admin_token, paid.user.id, PAID_USER_CREDITS)).await?;
    let (limited_key, paid, probe) = tokio::try_join!(
        api.limited_key(&paid),
        api.with_key(&paid),
        api.with_key(&probe)
    )?;
    let (conn, me_token, login_email) =
        (sql::connect(db.url())?, me.access_token, login.user.email);
    r.main = Some(Seeded {
        server,
        api,
        conn,
        admin_token,
        paid,
        limited_key,
        probe,
        me_token,
        login_email,
        db,
    });
    Ok(())
}

async fn paid(r: &mut DatabaseRun) -> Result<()> {
    let (s, main) = r.seeded("paid calls (X-API-Key, 32 connections)")?;
    let ([_, load], ledger) = paid_calls(s, main).await?;
    let (paid, ceiling, p99) = (load.per_sec(200), r.ceiling, load.p99_ms);
    let of = pct(paid / ceiling);
    let what =
        format!("paid calls `POST /api/generate-text`, X-API-Key, {CONNECTIONS} connections");
    let notes = format!(
        "{of} of the ceiling; {}; ledger: {}",
        load.anomalies(),
        ledger.note
    );
    r.figure(what, successes(paid), Some(&load), notes);
    (r.paid, r.ledger) = (paid, ledger);
    if r.kind == Backend::Sqlite {
        r.target(Goal::Paid, rate(paid), paid >= 10_000.0);
        r.target(Goal::PaidP99, ms(p99), p99 <= 10.0);
        let measured = format!("{of} of {}/s", rate(ceiling));
        r.target(Goal::PaidVsCeiling, measured, paid >= 0.5 * ceiling);
    } else {
        let measured = format!("{of} ({}/s of {}/s)", rate(paid), rate(ceiling));
        r.target(Goal::HotVsCeiling, measured, paid >= 0.7 * ceiling);
    }
    Ok(())
}

async fn paid_keyed(r: &mut DatabaseRun) -> Result<()> {
    let what = "paid calls with a scoped, limited key and an Idempotency-Key each (32 connections)";
    let (s, main) = r.seeded(what)?;
    let keyed = Load::paid(
        &main.server.url(""),
        &main.limited_key,
        CONNECTIONS,
        s.phase,
    );
    let keyed = [keyed.idempotent("measured")];
    let loads = measured(s, &keyed);
    let ([_, load], ledger) = ledgered(&mut main.conn, main.paid.id, loads).await?;
    let keyed = load.per_sec(200);
    let what = "the same with a key scoped to `paid:call`, with daily, monthly and rate limits, \
                and an `Idempotency-Key` per request";
    let (of, anomalies) = (pct(keyed / r.paid), load.anomalies());
    let notes = format!(
        "{of} of plain paid calls; {anomalies}; ledger: {}",
        ledger.note
    );
    r.figure(what, successes(keyed), Some(&load), notes);
    r.ledger.exact &= ledger.exact;
    let (change, measured) = versus(keyed, r.paid);
    match r.kind {
        Backend::Sqlite => r.target(Goal::Keyed, measured, change >= -0.15),
        Backend::Postgres => r.target(Goal::KeyedReported, measured, true),
    }
    Ok(())
}

/// Whether every paid call that succeeded left one debit row, and the balance is the sum of the
/// ledger.
#[derive(Default)]
struct Ledger {
    exact: bool,
    note: String,
}

/// Two loads of paid calls by `user` (a warm-up and the measured one, or two at once), checked
/// against the ledger: requests in flight at a deadline are waited for, so every 200 is a debit.
async fn ledgered(
    conn: &mut AnyConnection,
    user: i64,
    loads: impl Future<Output = Result<[LoadResult; 2]>>,
) -> Result<([LoadResult; 2], Ledger)> {
    let before = LedgerCheck::read(conn, user)?;
    let loads = loads.await?;
    let after = LedgerCheck::read(conn, user)?;
    let successes = i64::try_from(loads.iter().map(|l| l.count(200)).sum::<u64>())?;
    let (debits, credits, sum) = (after.debits - before.debits, after.credits, after.sum);
    let note = format!(
        "{successes} successes, {debits} debit rows; balance {credits} = sum of deltas {sum}"
    );
    let exact = after.consistent() && debits == successes;
    Ok((loads, Ledger { exact, note }))
}

/// Paid calls on the paid user's key (after a warm-up), checked against the ledger.
async fn paid_calls(s: &Settings, main: &mut Seeded) -> Result<([LoadResult; 2], Ledger)> {
    let paid = Load::paid(&main.server.url(""), &main.paid.key, CONNECTIONS, s.phase);
    ledgered(&mut main.conn, main.paid.id, measured(s, &[paid])).await
}

/// A warm-up (not counted), then the measured run, of `loads` at once; both results.
async fn measured(s: &Settings, loads: &[Load]) -> Result<[LoadResult; 2]> {
    let warmups: Vec<Load> = loads.iter().map(|l| l.warmup(s.warmup)).collect();
    Ok([
        load::run_together(&warmups).await?,
        load::run_together(loads).await?,
    ])
}

/// GET /api/me with `tokens`, CONNECTIONS connections shared among them.
async fn me_with(s: &Settings, server: &Server, tokens: &[String]) -> Result<LoadResult> {
    let connections = CONNECTIONS / u32::try_from(tokens.len())?;
    let me = |token: &String| {
        let load = Load::get(server.url("/api/me"), connections, s.phase);
        load.header("authorization", format!("Bearer {token}"))
    };
    let [_, load] = measured(s, &tokens.iter().map(me).collect::<Vec<_>>()).await?;
    Ok(load)
}

async fn me(r: &mut DatabaseRun) -> Result<()> {
    let (s, main) = r.seeded("GET /api/me (Bearer, 32 connections)")?;
    let load = me_with(s, &main.server, std::slice::from_ref(&main.me_token)).await?;
    let (me, anomalies) = (load.per_sec(200), load.anomalies());
    let what = format!("`GET /api/me`, Bearer, {CONNECTIONS} connections");
    r.figure(what, format!("{} req/s", rate(me)), Some(&load), anomalies);
    r.target(Goal::Me, rate(me), me >= 30_000.0);
    Ok(())
}

async fn me_users(r: &mut DatabaseRun) -> Result<()> {
    let (s, main) = r.seeded("GET /api/me (Bearer, 8 users, 4 connections each)")?;
    let emails: Vec<String> = (0..ME_USERS)
        .map(|i| format!("me{i}@bench.invalid"))
        .collect();
    let users = try_join_all(emails.iter().map(|e| main.api.signup(e))).await?;
    let tokens: Vec<String> = users.into_iter().map(|u| u.access_token).collect();
    let load = me_with(s, &main.server, &tokens).await?;
    let each = CONNECTIONS / ME_USERS;
    let what = format!("`GET /api/me`, Bearer, {ME_USERS} users at once ({each} connections each)");
    let notes = load.anomalies();
    r.figure(
        what,
        format!("{} req/s", rate(load.per_sec(200))),
        Some(&load),
        notes,
    );
    Ok(())
}

async fn logins(r: &mut DatabaseRun) -> Result<()> {
    let (s, main) = r.seeded("logins (cost 12, 16 at once) with /healthz probed beside them")?;
    let bcrypt = blocking(|| inprocess::bcrypt_seconds(BCRYPT_COST)).await?;
    let body = serde_json::json!({ "email": main.login_email, "password": PASSWORD }).to_string();
    let url = main.server.url("/api/auth/login");
    let logins = Load::post_json(url, body, LOGIN_CONNECTIONS, s.phase);
    let probe = Load::get(main.server.url("/healthz"), 1, s.phase).rate(HEALTHZ_PROBE_RATE);
    let (logins, healthz) = tokio::try_join!(load::run(&logins), load::run(&probe))?;
    let (per_sec, ideal) = (logins.per_sec(200), machine::cores() as f64 / bcrypt);
    let what = format!("one bcrypt hash, cost {BCRYPT_COST}, in-process");
    let notes = format!("cores / bcrypt time = {ideal:.1} logins/s");
    r.figure(what, format!("{:.0} ms", bcrypt * 1000.0), None, notes);
    let what = format!("logins `POST /api/auth/login`, {LOGIN_CONNECTIONS} at once");
    let (of, anomalies) = (pct(per_sec / ideal), logins.anomalies());
    let notes = format!("{of} of cores / bcrypt time; {anomalies}");
    r.figure(what, format!("{per_sec:.1} logins/s"), Some(&logins), notes);
    let what = format!("`/healthz` beside those logins, {HEALTHZ_PROBE_RATE} req/s probe");
    let (answered, anomalies) = (
        format!("{} answered", healthz.answered()),
        healthz.anomalies(),
    );
    r.figure(what, answered, Some(&healthz), anomalies);
    let (p99, answered) = (healthz.p99_ms, healthz.count(200) > 0);
    r.target(Goal::Healthz, ms(p99), p99 <= 10.0 && answered);
    let measured = format!("{of} ({per_sec:.1}/s of {ideal:.1}/s)");
    r.target(Goal::Logins, measured, per_sec >= 0.9 * ideal);
    Ok(())
}

async fn probe(r: &mut DatabaseRun) -> Result<()> {
    let (s, main) = r.seeded("double-spend probe")?;
    let (urls, admin, rounds) = ([main.server.url("")], main.admin_token.as_str(), s.rounds);
    let (api, user, conn) = (&main.api, &main.probe, &mut main.conn);
    let (summary, exact) = double_spend(api, admin, user, &urls, conn, rounds).await?;
    let what = format!("double-spend probe, {rounds} rounds");
    r.figure(
        what,
        summary.clone(),
        None,
        "successes/calls per round".to_owned(),
    );
    r.target(Goal::Probe, summary, exact);
    Ok(())
}

async fn scale(r: &mut DatabaseRun) -> Result<()> {
    let (s, main) = r.seeded("scale seed (SQL), then paid calls again")?;
    let url = main.db.url().to_owned();
    let (seed_url, users) = (url.clone(), s.scale_users);
    let seed = blocking(move || {
        sql::scale_seed(&mut sql::connect(&seed_url)?, users, LEDGER_ROWS_PER_USER)
    });
    let seed = seed.await?;
    let newest = "SELECT CAST(MAX(id) AS BIGINT) AS n FROM credit_ledger";
    let before = sql::number(&mut main.conn, newest)? + 1;
    // A ledger page is an organisation's: the users' personal ones hold their ledgers.
    let [seeded, hot] = [seed.sample_user, main.paid.id]
        .map(|user| sql::personal_organization(&mut main.conn, user));
    let (seeded, hot) = (seeded?, hot?);
    let mut plan = |org| sql::explain(&mut main.conn, &sql::ledger_page_sql(org, before));
    let plans = [plan(seeded)?, plan(hot)?];
    let pages = blocking(move || {
        let page = |organization| inprocess::ledger_page_micros(&url, organization);
        Ok([page(seeded)?, page(hot)?])
    })
    .await?;
    let ([_, load], ledger) = paid_calls(s, main).await?;
    let scaled = load.per_sec(200);
    let (change, measured) = versus(scaled, r.paid);
    let [users, keys, rows] = [seed.users, seed.keys, seed.ledger_rows].map(|n| rate(n as f64));
    let notes = format!("{users} users, {keys} keys, {rows} ledger rows");
    r.figure(
        "scale seed in SQL",
        format!("{:.1} s", seed.seconds),
        None,
        notes,
    );
    let (percent, anomalies) = (change * 100.0, load.anomalies());
    let notes = format!(
        "{percent:+.1}% vs empty; {anomalies}; ledger: {}",
        ledger.note
    );
    r.figure(
        "paid calls after the scale seed",
        successes(scaled),
        Some(&load),
        notes,
    );
    let what = "ledger page (50 rows, keyset), in-process, seeded user / hot user";
    let figure = format!("{:.0} µs / {:.0} µs", pages[0], pages[1]);
    r.figure(what, figure, None, "median of 200".to_owned());
    let (note, exact) = (r.ledger.note.clone(), r.ledger.exact && ledger.exact);
    r.target(Goal::LedgerExact, note, exact);
    r.target(Goal::Scaled, measured, change.abs() <= 0.15);
    let indexed = sql::indexed(&plans);
    let measured = if indexed { "yes" } else { "no (see plans)" };
    r.target(Goal::Indexed, measured.to_owned(), indexed);
    r.found.after = sql::plans_markdown(r.kind, &plans);
    Ok(())
}

async fn stop(r: &mut DatabaseRun) -> Result<()> {
    let main = r.main.take().context("the seed phase has not run")?;
    let mib = main.server.memory_kib("VmHWM:")? as f64 / 1024.0;
    let (what, peak) = (
        "peak resident memory of the server (VmHWM, end of the run)",
        format!("{mib:.1} MiB"),
    );
    r.figure(what, peak.clone(), None, String::new());
    r.target(Goal::Memory, peak, mib <= 40.0);
    Ok(())
}

/// Two servers started at the same moment on one fresh PostgreSQL database (their migrations
/// must not race), then paid calls through both on one user.
async fn replicas(r: &mut DatabaseRun) -> Result<()> {
    if r.kind != Backend::Postgres {
        return Ok(());
    }
    r.say("two replicas on one database");
    let (s, db) = (&r.s, r.fresh_database()?);
    let servers = r.servers(&db);
    let (mut a, mut b) = (servers.spawn("replica-a")?, servers.spawn("replica-b")?);
    let (ready_a, ready_b) = tokio::join!(a.wait_ready(), b.wait_ready());
    let starts = [ready_a.context("replica A")?, ready_b.context("replica B")?];
    servers.create_admin().await?;
    let (api_a, api_b) = (Api::new(a.url(""))?, Api::new(b.url(""))?);
    let (admin, probe, hot) = tokio::try_join!(
        api_a.login_admin(),
        api_b.signup("probe@bench.invalid"),
        api_a.signup("hot@bench.invalid"),
    )?;
    let (probe, hot) = tokio::try_join!(api_a.with_key(&probe), api_b.with_key(&hot))?;
    let (mut conn, urls, admin) = (
        sql::connect(db.url())?,
        [a.url(""), b.url("")],
        admin.access_token,
    );
    let (summary, exact) = double_spend(&api_b, &admin, &probe, &urls, &mut conn, s.rounds).await?;
    api_a.grant(&admin, hot.id, PAID_USER_CREDITS).await?;
    let paid = |url: &str| {
        let load = Load::paid(url, &hot.key, CONNECTIONS / 2, s.phase);
        async move { load::run(&load).await }
    };
    let loads = async {
        let (on_a, on_b) = tokio::try_join!(paid(&urls[0]), paid(&urls[1]))?;
        Ok::<_, anyhow::Error>([on_a, on_b])
    };
    let (loads, ledger) = ledgered(&mut conn, hot.id, loads).await?;
    a.check_alive()?;
    b.check_alive()?;
    let ([on_a, on_b], half) = (loads.map(|l| l.per_sec(200)), CONNECTIONS / 2);
    let what = format!("two replicas, paid calls on one hot user ({half} connections each)");
    let (a, b) = (rate(on_a), rate(on_b));
    let notes = format!("per replica: {a}/s + {b}/s; ledger: {}", ledger.note);
    r.figure(what, successes(on_a + on_b), None, notes);
    let (what, notes) = (
        "two replicas, double-spend probe",
        "calls alternate between the replicas",
    );
    r.figure(what, summary.clone(), None, notes.to_owned());
    let [start_a, start_b] = starts.map(|d| ms(millis(d)));
    r.target(Goal::ReplicasUp, format!("{start_a} and {start_b}"), true);
    r.target(Goal::ReplicasProbe, summary, exact);
    r.target(Goal::ReplicasLedger, ledger.note, ledger.exact);
    Ok(())
}
