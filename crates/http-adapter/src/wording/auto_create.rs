//! Why a Set's `autoCreate: true` is refused.

use application::auto_create::AutoCreateRefused;

/// Every reason, each naming `autoCreate`, in the order a client reads
/// them: what the body asks besides it, then what this service lacks.
pub fn auto_create_refused(refused: AutoCreateRefused) -> Vec<String> {
    let reasons = [
        (
            refused.with_inbox,
            "autoCreate cannot go with inbox or inboxId: send an inbox id, or let autoCreate find or create the inbox",
        ),
        (
            refused.disabled,
            "autoCreate cannot go with enabled: false: a disabled integration is saved without asking Chatwoot",
        ),
        (
            refused.no_webhook,
            "autoCreate needs CHATWOOT_WEBHOOK_URL, which this service does not set: without it a new inbox would not know where to send replies",
        ),
    ];
    reasons
        .into_iter()
        .filter(|(applies, _)| *applies)
        .map(|(_, reason)| reason.to_owned())
        .collect()
}
