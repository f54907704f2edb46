//! Key rotation: rewrite every stored Chatwoot access token and webhook
//! signing secret with the current key, so that previous keys can be
//! dropped from configuration.

use application::RepoError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::entities::integration::{self, Column};
use super::SeaOrmRepository;
use crate::crypto::{self, TokenCipher, PREFIX};

impl SeaOrmRepository {
    /// How many stored tokens (of deleted integrations too, which a read
    /// still meets) no configured key decrypts: the start refuses a key
    /// that cannot read them, and readiness waits until none is left.
    pub async fn undecryptable_tokens(&self) -> Result<u64, RepoError> {
        let sealed = integration::Entity::find()
            .select_only()
            .column(Column::ChatwootAccessToken)
            .filter(Column::ChatwootAccessToken.starts_with(PREFIX))
            .into_tuple()
            .all(&self.db);
        let sealed: Vec<String> = self.bounded(sealed).await?;
        let unreadable = sealed
            .iter()
            .filter(|stored| crypto::open_with(self.cipher(), stored).is_err())
            .count();
        Ok(unreadable as u64)
    }

    /// Whether a token encryption key is configured.
    pub fn has_token_key(&self) -> bool {
        self.cipher().is_some()
    }

    /// Seals every token and signing secret (plaintext, or sealed with any
    /// configured key) with the current key; soft-deleted rows too, as a
    /// later set revives them. Returns how many rows were rewritten. Each
    /// row is rewritten only if it still holds what was read, so a set
    /// running meanwhile is never undone (it already sealed with the
    /// current key).
    pub async fn reencrypt_tokens(&self) -> Result<u64, RepoError> {
        let Some(cipher) = self.cipher() else {
            return Err(RepoError::Other(
                "no token encryption key is configured".to_owned(),
            ));
        };
        let rows = integration::Entity::find()
            .select_only()
            .column(Column::Id)
            .column(Column::ChatwootAccessToken)
            .column(Column::WebhookSecret)
            .into_tuple()
            .all(&self.db);
        let rows: Vec<(String, String, Option<String>)> = self.bounded(rows).await?;
        let mut rewritten = 0;
        for (id, token, secret) in rows {
            let reseal = |column: &str, stored: &str| {
                reseal(cipher, stored).map_err(|err| {
                    RepoError::Other(format!(
                        "chatwoot_integrations row {id}: column {column}: {err}"
                    ))
                })
            };
            let sealed_token = reseal("chatwoot_access_token", &token)?;
            let sealed_secret = secret
                .as_deref()
                .map(|stored| reseal("webhook_secret", stored))
                .transpose()?;
            let still_read = match &secret {
                Some(stored) => Column::WebhookSecret.eq(stored.as_str()),
                None => Column::WebhookSecret.is_null(),
            };
            let rewrite = integration::Entity::update_many()
                .col_expr(Column::ChatwootAccessToken, Expr::value(sealed_token))
                .col_expr(Column::WebhookSecret, Expr::value(sealed_secret))
                .filter(Column::Id.eq(id.as_str()))
                .filter(Column::ChatwootAccessToken.eq(token.as_str()))
                .filter(still_read)
                .exec(&self.writer);
            rewritten += self.bounded(rewrite).await?.rows_affected;
        }
        Ok(rewritten)
    }
}

fn reseal(cipher: &TokenCipher, stored: &str) -> Result<String, crate::crypto::CipherError> {
    cipher.open(stored).and_then(|plain| cipher.seal(&plain))
}
