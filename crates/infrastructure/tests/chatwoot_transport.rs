//! The Chatwoot check against servers that misbehave at the HTTP level:
//! redirects, slowness, endless bodies, closed ports, internal addresses.

#[path = "chatwoot_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use application::{
    BodyFound, ChatwootChecker, CheckFailure, CheckName, CheckTarget, Deadline, NotChatwootAnswer,
    RedirectTo, StepOutcome, UnreachableReason,
};
use http_adapter::wording::{check_failure, setting};
use infrastructure::chatwoot::{ChatwootCheckConfig, CheckerBuildError, HttpChatwootChecker};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::{MockServer, ResponseTemplate};

#[tokio::test]
async fn a_redirect_at_api_is_reported_and_its_target_gets_no_request() {
    let target = MockServer::start().await;
    let server = MockServer::start().await;
    let location = format!("{}/api", target.uri());
    mount(
        &server,
        "/api",
        ResponseTemplate::new(301).insert_header("Location", location.as_str()),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::Redirected {
            method: "GET",
            path: "/api".into(),
            location: RedirectTo::Url(location.clone())
        }
    );
    assert_eq!(setting(failure.setting()), "chatwootURL");
    let message = check_failure(&failure);
    assert!(
        message.contains(&format!("redirect to {location}")),
        "{message}"
    );
    assert!(message.contains("redirects are not followed"), "{message}");
    assert!(paths_received(&target).await.is_empty());
    assert_eq!(paths_received(&server).await, ["/api"]);
}

#[tokio::test]
async fn a_redirect_of_the_token_request_is_not_followed_and_the_token_is_not_echoed() {
    let target = MockServer::start().await;
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        ResponseTemplate::new(302).insert_header(
            "Location",
            format!("{}/collect?t={TOKEN}", target.uri()).as_str(),
        ),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    let CheckFailure::Redirected { path, location, .. } = &failure else {
        panic!("expected a redirect, got {failure:?}");
    };
    assert_eq!(path, "/api/v1/profile");
    let masked = format!("{}/collect?t=[token]", target.uri());
    assert_eq!(location, &RedirectTo::Url(masked));
    assert!(!check_failure(&failure).contains(TOKEN), "{failure:?}");
    assert!(paths_received(&target).await.is_empty());
}

#[tokio::test]
async fn a_relative_redirect_is_reported_as_an_absolute_address() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/api",
        ResponseTemplate::new(302).insert_header("Location", "/login"),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::Redirected {
            method: "GET",
            path: "/api".into(),
            location: RedirectTo::Url(format!("{}/login", server.uri()))
        }
    );
}

#[tokio::test]
async fn a_slow_server_times_out_within_the_configured_bound() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/api",
        api_answer().set_delay(Duration::from_secs(10)),
    )
    .await;
    let checker = checker_with(|config| config.timeout = Duration::from_millis(300));

    let started = Instant::now();
    let failure = check(&checker, &server.uri(), None).await.unwrap_err();
    let elapsed = started.elapsed();

    assert_eq!(failure, CheckFailure::TimedOut { timeout_ms: 300 });
    assert!(
        check_failure(&failure).contains("did not answer within 300 ms"),
        "{failure:?}"
    );
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(300) + MARGIN, "{elapsed:?}");
}

#[tokio::test]
async fn a_slow_token_request_times_out_too() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        profile_answer(&[(ACCOUNT, "Acme")]).set_delay(Duration::from_secs(10)),
    )
    .await;
    let checker = checker_with(|config| config.timeout = Duration::from_millis(400));

    let failure = check(&checker, &server.uri(), None).await.unwrap_err();

    assert_eq!(failure, CheckFailure::TimedOut { timeout_ms: 400 });
}

#[tokio::test]
async fn a_deadline_bounds_the_run_as_a_whole_and_fails_the_check_under_way() {
    let server = chatwoot_with_profile().await;
    mount(
        &server,
        "/api/v1/accounts/12/inboxes/3",
        ResponseTemplate::new(200).set_delay(Duration::from_millis(600)),
    )
    .await;
    let settings = settings(&server.uri(), ACCOUNT, Some(INBOX));
    let target = CheckTarget {
        settings: &settings,
        expected_webhook: None,
    };

    let started = Instant::now();
    let deadline = Deadline::after(Duration::from_millis(300));
    let report = checker().check(&target, Some(deadline)).await;
    let elapsed = started.elapsed();

    let timed_out = CheckFailure::TimedOut { timeout_ms: 300 };
    for (step, outcome) in report.steps() {
        let expected = match step {
            CheckName::Inbox => StepOutcome::Failed(timed_out.clone()),
            step if step < CheckName::Inbox => StepOutcome::Passed,
            _ => StepOutcome::NotRun,
        };
        assert_eq!(outcome, &expected, "{}", step.as_str());
    }
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(600), "{elapsed:?}");

    // Without one, each request has the checker's own timeout only.
    let unbounded = checker().check(&target, None).await;
    assert_eq!(unbounded.outcome(CheckName::Inbox).ok(), Some(false));
    assert!(
        !matches!(
            unbounded.outcome(CheckName::Inbox),
            StepOutcome::Failed(CheckFailure::TimedOut { .. })
        ),
        "{unbounded:?}"
    );
}

#[tokio::test]
async fn a_5_mib_answer_at_api_is_refused_without_being_read() {
    let server = MockServer::start().await;
    let huge = format!(
        "{{\"version\":\"4.1.0\",\"pad\":\"{}\"}}",
        "x".repeat(5 * 1024 * 1024)
    );
    mount(
        &server,
        "/api",
        ResponseTemplate::new(200).set_body_raw(huge, "application/json"),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::NotChatwoot {
            path: "/api".into(),
            found: NotChatwootAnswer::TooLarge {
                limit_bytes: 1 << 20
            }
        }
    );
    assert!(
        check_failure(&failure).contains("answered more than 1 MiB"),
        "{failure:?}"
    );
    assert!(paths_that_got_the_token(&server).await.is_empty());
}

#[tokio::test]
async fn a_profile_over_the_configured_limit_is_refused_naming_the_limit() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    let accounts: Vec<(i64, &str)> = (1..5000).map(|id| (id, "A long account name")).collect();
    mount(&server, "/api/v1/profile", profile_answer(&accounts)).await;
    let checker = checker_with(|config| config.max_body_bytes = 64 * 1024);

    let failure = check(&checker, &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::UnexpectedBody {
            method: "GET",
            path: "/api/v1/profile".into(),
            found: BodyFound::TooLarge {
                limit_bytes: 64 * 1024
            }
        }
    );
    assert!(
        check_failure(&failure).contains("with more than 64 KiB,"),
        "{failure:?}"
    );
}

/// A server that answers every request with a chunked body that never ends,
/// sending `chunk` bytes every `pause`.
async fn endless_server(chunk: usize, pause: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut piece = format!("{chunk:x}\r\n").into_bytes();
                piece.extend(std::iter::repeat_n(b' ', chunk));
                piece.extend_from_slice(b"\r\n");
                // Ends only when the client hangs up.
                while socket.write_all(&piece).await.is_ok() {
                    if !pause.is_zero() {
                        tokio::time::sleep(pause).await;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_endless_fast_body_is_cut_at_the_size_limit() {
    let url = endless_server(64 * 1024, Duration::ZERO).await;
    let checker = checker_with(|config| config.timeout = Duration::from_secs(10));

    let started = Instant::now();
    let failure = check(&checker, &url, None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::NotChatwoot {
            path: "/api".into(),
            found: NotChatwootAnswer::TooLarge {
                limit_bytes: 1 << 20
            }
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "cut by size, not by the timeout"
    );
}

#[tokio::test]
async fn an_endless_trickling_body_is_cut_at_the_total_timeout() {
    let url = endless_server(1, Duration::from_millis(50)).await;
    let checker = checker_with(|config| config.timeout = Duration::from_millis(800));

    let started = Instant::now();
    let failure = check(&checker, &url, None).await.unwrap_err();
    let elapsed = started.elapsed();

    assert_eq!(failure, CheckFailure::TimedOut { timeout_ms: 800 });
    assert!(elapsed < Duration::from_millis(800) + MARGIN, "{elapsed:?}");
}

#[tokio::test]
async fn a_closed_port_is_unreachable_with_connection_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);

    let failure = check(&checker(), &format!("http://127.0.0.1:{port}"), None)
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::Unreachable {
            reason: UnreachableReason::ConnectionRefused
        }
    );
    assert_eq!(setting(failure.setting()), "chatwootURL");
    let message = check_failure(&failure);
    assert!(
        message.contains("unreachable (connection refused)"),
        "{message}"
    );
    assert!(message.contains("check the address"), "{message}");
}

/// `https://` to a port that speaks plain HTTP: the handshake gets an
/// answer that is not TLS.
#[tokio::test]
async fn https_to_a_plain_http_port_says_the_server_does_not_speak_https() {
    let server = MockServer::start().await;
    let url = server.uri().replacen("http://", "https://", 1);

    let failure = check(&checker(), &url, None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::Unreachable {
            reason: UnreachableReason::TlsNotSpoken
        }
    );
    let message = check_failure(&failure);
    assert!(
        message.contains("(TLS handshake failed: the server does not speak https on this port (http:// may be meant))"),
        "{message}"
    );
    assert!(paths_received(&server).await.is_empty());
}

#[tokio::test]
async fn refusing_private_addresses_refuses_a_loopback_ip_without_connecting() {
    let server = chatwoot_with_profile().await;
    let checker = checker_with(|config| config.refuse_private_addresses = true);

    let failure = check(&checker, &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::AddressNotAllowed {
            address: "127.0.0.1".into()
        }
    );
    assert_eq!(setting(failure.setting()), "chatwootURL");
    let message = check_failure(&failure);
    assert!(message.contains("resolves to 127.0.0.1"), "{message}");
    assert!(message.contains("configured to refuse"), "{message}");
    assert!(paths_received(&server).await.is_empty());
}

#[tokio::test]
async fn refusing_private_addresses_refuses_localhost_after_resolving_it() {
    let server = chatwoot_with_profile().await;
    let port = server.address().port();
    let checker = checker_with(|config| config.refuse_private_addresses = true);

    let failure = check(&checker, &format!("http://localhost:{port}"), None)
        .await
        .unwrap_err();

    let CheckFailure::AddressNotAllowed { address } = &failure else {
        panic!("expected a refused address, got {failure:?}");
    };
    assert!(address == "127.0.0.1" || address == "::1", "{address}");
    assert!(paths_received(&server).await.is_empty());
}

#[tokio::test]
async fn refusing_private_addresses_refuses_an_ipv6_loopback_literal() {
    let checker = checker_with(|config| config.refuse_private_addresses = true);

    let failure = check(&checker, "http://[::1]:9", None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::AddressNotAllowed {
            address: "::1".into()
        }
    );
}

#[tokio::test]
async fn localhost_is_checked_normally_when_private_addresses_are_allowed() {
    let server = chatwoot_with_profile().await;
    let port = server.address().port();

    let result = check(&checker(), &format!("http://localhost:{port}"), None).await;

    assert_eq!(result, Ok(()));
}

#[tokio::test]
async fn a_transport_failure_fails_the_check_that_sent_the_request() {
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let redirecting = MockServer::start().await;
    mount(
        &redirecting,
        "/api",
        ResponseTemplate::new(302).insert_header("Location", "/login"),
    )
    .await;
    let profile_redirects = MockServer::start().await;
    mount(&profile_redirects, "/api", api_answer()).await;
    mount(
        &profile_redirects,
        "/api/v1/profile",
        ResponseTemplate::new(302).insert_header("Location", "/login"),
    )
    .await;
    let cases = [
        (
            format!("http://127.0.0.1:{closed}"),
            checker(),
            CheckName::Reachable,
        ),
        (
            redirecting.uri(),
            checker_with(|c| c.refuse_private_addresses = true),
            CheckName::Reachable,
        ),
        (redirecting.uri(), checker(), CheckName::Chatwoot),
        (profile_redirects.uri(), checker(), CheckName::Token),
    ];
    for (url, checker, failed) in cases {
        let report = report(&checker, &settings(&url, ACCOUNT, Some(INBOX)), None).await;
        for (step, outcome) in report.steps() {
            let expected = match step.cmp(&failed) {
                std::cmp::Ordering::Less => Some(true),
                std::cmp::Ordering::Equal => Some(false),
                std::cmp::Ordering::Greater => None,
            };
            assert_eq!(
                outcome.ok(),
                expected,
                "{url} {failed:?}: {}",
                step.as_str()
            );
        }
        let version_known = failed > CheckName::Chatwoot;
        assert_eq!(report.chatwoot_version().is_some(), version_known, "{url}");
    }
}

#[test]
fn a_checker_with_a_zero_bound_is_not_built() {
    for change in [
        (|c: &mut ChatwootCheckConfig| c.timeout = Duration::ZERO) as fn(&mut ChatwootCheckConfig),
        |c| c.connect_timeout = Duration::ZERO,
        |c| c.max_body_bytes = 0,
    ] {
        let mut config = default_config();
        change(&mut config);
        assert!(matches!(
            HttpChatwootChecker::new(config),
            Err(CheckerBuildError::ZeroBound(_))
        ));
    }
}

#[test]
fn the_default_bounds_are_short() {
    let config = default_config();
    assert_eq!(config.connect_timeout, Duration::from_secs(3));
    assert_eq!(config.timeout, Duration::from_secs(5));
    assert_eq!(config.max_body_bytes, 1024 * 1024);
    assert!(!config.refuse_private_addresses);
}
