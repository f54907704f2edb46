use domain::Instance;

/// Who is calling, as proved by the token presented.
#[derive(Debug, Clone)]
pub enum Principal {
    /// The configured admin token: may act on every instance.
    Admin,
    /// An instance token: may act only on its own instance.
    Instance(Instance),
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        matches!(self, Principal::Admin)
    }
}
