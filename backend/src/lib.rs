//! The API as a library: `main.rs` is a thin CLI around it, and the tests start the real server
//! with `Application::build` on port 0 against a fresh database.

pub mod auth;
pub mod clock;
pub mod config;
pub mod credits;
pub mod db;
pub mod error;
pub mod housekeeping;
pub mod http;
pub mod mail;
pub mod models;
pub mod oauth;
pub mod payments;
pub mod routes;
pub mod state;
pub mod storage;
pub mod tasks;
pub mod telemetry;

use std::{net::TcpListener, sync::Arc};

use actix_web::{App, HttpServer, dev::Server, middleware, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

use http::{request_id, security_headers};

use clock::Clock;
pub use config::Config;
use db::{Db, DbError};
use state::AppState;

/// Largest JSON body accepted (413 `payload_too_large` beyond).
pub const JSON_LIMIT: usize = 64 * 1024;
/// Largest form body accepted (the OAuth2 token form).
pub const FORM_LIMIT: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot connect to the database")]
    Database(#[source] r2d2::Error),
    #[error("cannot migrate the database")]
    Migration(#[source] DbError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start a thread")]
    Thread(#[source] std::io::Error),
    #[error("cannot set up email")]
    Mail(#[source] mail::SendError),
    #[error("cannot open the file store (STORAGE_URL)")]
    Storage(#[source] storage::StorageError),
}

/// A server bound to its port, ready to run.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Connects to the database, applies migrations and binds `config.bind_addr` (port 0 picks a
    /// free one).
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        Self::build_with_clock(config, Clock::default()).await
    }

    /// `build` with a clock the caller can move forward (tests: key expiry, grace periods).
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Self, StartupError> {
        let db = web::block({
            let config = config.clone();
            move || -> Result<Db, StartupError> {
                let db = Db::connect(&config).map_err(StartupError::Database)?;
                db.migrate().map_err(StartupError::Migration)?;
                Ok(db)
            }
        })
        .await
        .map_err(|_| StartupError::Migration(DbError::WorkerStopped("blocking thread pool")))??;
        let addr = config.bind_addr;
        let listener =
            TcpListener::bind(addr).map_err(|source| StartupError::Bind { addr, source })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr, source })?
            .port();
        let storage =
            Arc::new(storage::Storage::new(&config.storage).map_err(StartupError::Storage)?);
        tokio::spawn(housekeeping::purge_expired(db.clone()));
        tokio::spawn(housekeeping::sweep_orphan_files(
            db.clone(),
            storage.clone(),
        ));
        let mail = mail::Mail::start(&config, db.clone()).map_err(StartupError::Mail)?;
        let state = web::Data::new(
            AppState::new(config, db, mail, clock, storage).map_err(StartupError::Thread)?,
        );
        tokio::spawn(housekeeping::evict_idle_buckets(state.rate_limits.clone()));
        let api = routes::docs::document();
        let api_document = web::Data::from(routes::docs::ApiDocument::new(&api));
        let route_table = web::Data::from(routes::RouteTable::new(&api));
        let server = HttpServer::new(move || {
            let config = &state.config;
            App::new()
                .app_data(state.clone())
                .app_data(api_document.clone())
                .app_data(route_table.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(JSON_LIMIT)
                        .error_handler(error::json_error),
                )
                .app_data(
                    web::FormConfig::default()
                        .limit(FORM_LIMIT)
                        .error_handler(error::form_error),
                )
                .app_data(web::PathConfig::default().error_handler(error::path_error))
                .app_data(web::QueryConfig::default().error_handler(error::query_error))
                .wrap(middleware::from_fn(credits::finish_paid_requests))
                // Inside ErrorHandlers, so a refused preflight gets a JSON body too.
                .wrap(middleware::Condition::new(
                    !config.cors_origins.is_empty(),
                    http::cors::cors(&config.cors_origins),
                ))
                .wrap(
                    middleware::ErrorHandlers::new()
                        .default_handler(error::contract_body_for_bare_errors),
                )
                .wrap(security_headers::headers(config.is_dev()))
                .wrap(TracingLogger::<request_id::RequestSpan>::new())
                .wrap(middleware::from_fn(request_id::assign))
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .configure(routes::spa::configure(&config.static_dir))
        })
        .listen(listener)
        .map_err(|source| StartupError::Bind { addr, source })?
        .run();
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests stop theirs when they finish).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// `Application::build`, under the name the design uses.
pub async fn build_app(config: Config) -> Result<Application, StartupError> {
    Application::build(config).await
}
