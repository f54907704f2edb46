//! The use cases' rules, run against in-memory fakes of every port: no
//! database, no network, no HTTP.

/// Asserts that a use case's result is an error matching the pattern,
/// showing the result (and the context, if given) when it is not.
macro_rules! assert_fails {
    ($result:expr, $pattern:pat $(if $guard:expr)?) => {
        assert_fails!($result, $pattern $(if $guard)?, "")
    };
    ($result:expr, $pattern:pat $(if $guard:expr)?, $context:expr) => {{
        let result = $result;
        assert!(
            matches!(&result, Err($pattern) $(if $guard)?),
            "{:?} {result:?}",
            $context
        );
    }};
}

mod fakes;

mod authorization;
mod auto_create;
mod errors;
mod instances;
mod integration_patch;
mod integration_set;
mod repository_contract;
mod shared_inbox;
mod signature;
mod status;
mod support;
