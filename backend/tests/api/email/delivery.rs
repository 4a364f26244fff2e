//! The outbox's guarantees: a request never waits for SMTP, an email committed is delivered
//! once even across a crash, a dead SMTP server or two replicas sending together.

use std::{net::TcpListener, time::Duration};

use test_support::MailDev;

use crate::helpers::*;

both_backends!(
    a_stuck_smtp_server_holds_no_request_and_mail_arrives_once_it_is_back,
    two_replicas_send_each_email_exactly_once,
    an_email_committed_before_a_crash_is_sent_once_after_restart
);

/// A server that takes SMTP connections and never answers: a sender stuck in it cannot finish.
fn black_hole() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("its address").port();
    (listener, port)
}

async fn a_stuck_smtp_server_holds_no_request_and_mail_arrives_once_it_is_back(backend: Backend) {
    let (hole, port) = black_hole();
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(
        backend,
        &[("SMTP_URL", &smtp_url), ("MAIL_SEND_TIMEOUT", "20")],
    )
    .await;
    let first = app.new_user().await;
    // The sender is inside the stuck server now...
    let (stuck, _) = tokio::task::spawn_blocking(move || hole.accept())
        .await
        .expect("accept ran")
        .expect("the sender connected");
    // ...and sign-ups, which queue emails, still answer.
    let others = futures::future::join_all((0..3).map(|_| app.new_user())).await;
    // The server goes away; the emails wait in the outbox, and go once SMTP is back there.
    drop(stuck);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let inbox = MailDev::start_on(port).expect("MailDev on the old port");
    for user in std::iter::once(&first).chain(&others) {
        inbox.wait_for(&user.email, VERIFY_SUBJECT).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    for user in std::iter::once(&first).chain(&others) {
        assert_eq!(inbox.emails_to(&user.email).await.len(), 1, "exactly once");
    }
}

async fn two_replicas_send_each_email_exactly_once(backend: Backend) {
    let one = TestApp::spawn_with_mail(backend, &[]).await;
    let two = one.replica().await;
    let signups = (0..10).map(|i| {
        let app = if i % 2 == 0 { &one } else { &two };
        app.new_user()
    });
    let users = futures::future::join_all(signups).await;
    for user in &users {
        one.mailbox().wait_for(&user.email, VERIFY_SUBJECT).await;
    }
    // Both senders poll again meanwhile: a second copy would show up here.
    tokio::time::sleep(Duration::from_secs(6)).await;
    for user in &users {
        let got = one.mailbox().emails_to(&user.email).await;
        assert_eq!(got.len(), 1, "{}: {} emails", user.email, got.len());
    }
}

/// The binary killed with SIGKILL between the commit of an email and its delivery: after a
/// restart the email arrives, once.
async fn an_email_committed_before_a_crash_is_sent_once_after_restart(backend: Backend) {
    let (hole, port) = black_hole();
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let mut server = ServerProcess::start(
        backend,
        &[("SMTP_URL", &smtp_url), ("MAIL_SEND_TIMEOUT", "1")],
    )
    .await;
    let user = server.new_user().await;
    let (_stuck, _hole) = tokio::task::spawn_blocking(move || hole.accept().map(|c| (c, hole)))
        .await
        .expect("accept ran")
        .expect("the sender claimed the email and connected");
    server.kill();

    let inbox = MailDev::start().expect("MailDev");
    let restarted = server
        .restart_with(&[("SMTP_URL", &inbox.smtp_url())])
        .await;
    // Claimed by the dead process: due again once its lease (2 x 1 s) ends.
    inbox.wait_for(&user.email, VERIFY_SUBJECT).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(inbox.emails_to(&user.email).await.len(), 1);
    drop(restarted);
}
