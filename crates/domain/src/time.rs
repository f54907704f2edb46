use chrono::{DateTime, SecondsFormat, Utc};

/// A UTC instant with millisecond precision: the precision of the wire format
/// (`2025-06-12T13:21:06.572Z`) and of every database column, so a value
/// never changes on its way through storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch; `None` outside chrono's range.
    pub fn from_millis(millis: i64) -> Option<Self> {
        DateTime::<Utc>::from_timestamp_millis(millis).map(|_| Self(millis))
    }

    /// Truncates to the millisecond.
    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        Self(at.timestamp_millis())
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        // The constructors only admit values chrono can represent.
        DateTime::<Utc>::from_timestamp_millis(self.0).unwrap_or_default()
    }

    /// `2025-06-12T13:21:06.572Z`
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTC with milliseconds and `Z`, three digits even for whole seconds;
    /// `Display` is the same wire format.
    #[test]
    fn renders_utc_with_three_digits_of_milliseconds_and_z() {
        for (millis, wire) in [
            (1_749_734_466_572, "2025-06-12T13:21:06.572Z"),
            (1_749_734_466_000, "2025-06-12T13:21:06.000Z"),
        ] {
            let at = Timestamp::from_millis(millis).unwrap();
            assert_eq!(at.to_rfc3339(), wire);
            assert_eq!(at.to_string(), wire);
        }
    }

    #[test]
    fn from_datetime_truncates_below_the_millisecond() {
        let dt = DateTime::<Utc>::from_timestamp(1_749_734_466, 572_999_999).unwrap();
        assert_eq!(Timestamp::from_datetime(dt).millis(), 1_749_734_466_572);
    }
}
