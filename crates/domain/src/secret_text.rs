//! Text that must never show, such as a token or a signing secret.

/// For a newtype with `expose(&self) -> &str`: equality by the text, and a
/// `Debug` that names the type and never shows the text.
macro_rules! secret_text {
    ($name:ident) => {
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.expose() == other.expose()
            }
        }

        impl Eq for $name {}

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([REDACTED])"))
            }
        }
    };
}

pub(crate) use secret_text;
