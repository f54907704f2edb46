//! The URL Chatwoot must call for an instance: a template with
//! `{instanceId}` and `{instanceName}`, filled in per instance.

use crate::instance::{InstanceId, InstanceName};
use crate::url::{HttpUrl, UrlError};

const INSTANCE_ID: &str = "instanceId";
const INSTANCE_NAME: &str = "instanceName";
/// Longest unknown placeholder name repeated in a message.
const MAX_ECHOED_NAME_CHARS: usize = 40;

/// Why a string is not a [`WebhookUrlTemplate`]. Each message completes a
/// sentence that starts with the setting's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookTemplateError {
    #[error("has an unknown placeholder {{{0}}}: the known ones are {{instanceId}} and {{instanceName}}")]
    UnknownPlaceholder(String),
    #[error(
        "has a {{ or }} that is not part of a placeholder ({{instanceId}} or {{instanceName}})"
    )]
    StrayBrace,
    #[error("is not a valid URL once its placeholders are filled in: it {0}")]
    NotUrl(UrlError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    InstanceId,
    InstanceName,
}

/// A template such as `https://gateway.example.com/chatwoot/webhook/{instanceId}`
/// whose expansion is an absolute http(s) URL for every instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrlTemplate {
    raw: String,
    parts: Vec<Part>,
}

impl WebhookUrlTemplate {
    pub fn parse(raw: &str) -> Result<Self, WebhookTemplateError> {
        let parts = split(raw)?;
        let template = Self {
            raw: raw.to_owned(),
            parts,
        };
        // Instance ids are UUIDs and names are `[A-Za-z0-9_.-]`, so a
        // template that expands to a URL for one instance does so for all.
        let sample = template.fill("00000000-0000-0000-0000-000000000000", "instance");
        HttpUrl::parse(&sample).map_err(WebhookTemplateError::NotUrl)?;
        Ok(template)
    }

    /// The template as configured.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The URL for one instance, placeholders replaced verbatim: this exact
    /// string is what the inbox's webhook must hold.
    pub fn expand(&self, id: InstanceId, name: &InstanceName) -> String {
        self.fill(&id.to_string(), name.as_str())
    }

    fn fill(&self, id: &str, name: &str) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.as_str(),
                Part::InstanceId => id,
                Part::InstanceName => name,
            })
            .collect()
    }
}

fn split(raw: &str) -> Result<Vec<Part>, WebhookTemplateError> {
    let mut parts = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(WebhookTemplateError::StrayBrace);
        }
        let after = &rest[open + 1..];
        let close = after
            .find(['{', '}'])
            .filter(|&at| after[at..].starts_with('}'))
            .ok_or(WebhookTemplateError::StrayBrace)?;
        if open > 0 {
            parts.push(Part::Text(rest[..open].to_owned()));
        }
        parts.push(match &after[..close] {
            INSTANCE_ID => Part::InstanceId,
            INSTANCE_NAME => Part::InstanceName,
            unknown => {
                return Err(WebhookTemplateError::UnknownPlaceholder(
                    unknown
                        .chars()
                        .filter(|c| !c.is_control())
                        .take(MAX_ECHOED_NAME_CHARS)
                        .collect(),
                ))
            }
        });
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_owned()));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> (InstanceId, InstanceName) {
        (
            InstanceId::parse("9b2f6c1e-4d0a-4c3e-8a57-0f5e7c1d2b3a").unwrap(),
            InstanceName::parse("sales.gw-1").unwrap(),
        )
    }

    #[test]
    fn placeholders_are_replaced_verbatim_wherever_they_are() {
        let (id, name) = instance();
        let cases = [
            (
                "https://gw.example.com/chatwoot/webhook/{instanceId}",
                "https://gw.example.com/chatwoot/webhook/9b2f6c1e-4d0a-4c3e-8a57-0f5e7c1d2b3a",
            ),
            (
                "https://gw.example.com/{instanceName}/hook?id={instanceId}",
                "https://gw.example.com/sales.gw-1/hook?id=9b2f6c1e-4d0a-4c3e-8a57-0f5e7c1d2b3a",
            ),
            (
                "http://{instanceName}.gw.example.com:8080/Hook/",
                "http://sales.gw-1.gw.example.com:8080/Hook/",
            ),
            (
                "https://gw.example.com/one-hook",
                "https://gw.example.com/one-hook",
            ),
        ];
        for (raw, expected) in cases {
            let template = WebhookUrlTemplate::parse(raw).unwrap();
            assert_eq!(template.expand(id, &name), expected, "{raw}");
            assert_eq!(template.as_str(), raw);
        }
    }

    #[test]
    fn templates_that_break_a_rule_are_refused_with_their_reason() {
        let cases = [
            (
                "https://gw.example.com/{instanceID}",
                WebhookTemplateError::UnknownPlaceholder("instanceID".into()),
            ),
            (
                "https://gw.example.com/{}",
                WebhookTemplateError::UnknownPlaceholder(String::new()),
            ),
            (
                "https://gw.example.com/{instanceId",
                WebhookTemplateError::StrayBrace,
            ),
            (
                "https://gw.example.com/instanceId}",
                WebhookTemplateError::StrayBrace,
            ),
            (
                "https://gw.example.com/{{instanceId}}",
                WebhookTemplateError::StrayBrace,
            ),
            (
                "gw.example.com/{instanceId}",
                WebhookTemplateError::NotUrl(UrlError::NotHttp),
            ),
            (
                "ftp://gw.example.com/{instanceId}",
                WebhookTemplateError::NotUrl(UrlError::NotHttp),
            ),
            (
                "{instanceId}",
                WebhookTemplateError::NotUrl(UrlError::NotHttp),
            ),
            (
                "http://:80/{instanceId}",
                WebhookTemplateError::NotUrl(UrlError::NoHost),
            ),
            (
                "https://gw.example.com/#{instanceId}",
                WebhookTemplateError::NotUrl(UrlError::Fragment),
            ),
            ("", WebhookTemplateError::NotUrl(UrlError::NotHttp)),
        ];
        for (raw, expected) in cases {
            assert_eq!(WebhookUrlTemplate::parse(raw), Err(expected), "{raw:?}");
        }
    }

    #[test]
    fn messages_fit_on_one_line_and_name_the_problem() {
        let unknown = WebhookUrlTemplate::parse("https://x.com/{a\nb}").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "has an unknown placeholder {ab}: the known ones are {instanceId} and {instanceName}"
        );
        let not_url = WebhookUrlTemplate::parse("https://x.com/#{instanceId}").unwrap_err();
        assert_eq!(
            not_url.to_string(),
            "is not a valid URL once its placeholders are filled in: it must not contain a fragment"
        );
    }
}
