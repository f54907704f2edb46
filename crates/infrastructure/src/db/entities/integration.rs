use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chatwoot_integrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub instance_id: String,
    pub enabled: bool,
    pub account_id: i64,
    pub inbox_id: Option<i64>,
    pub chatwoot_url: String,
    pub chatwoot_access_token: String,
    pub n8n_webhook: Option<String>,
    pub enabled_group: bool,
    pub display_attendant: bool,
    pub start_conversation_as: String,
    pub query: Option<String>,
    pub revision: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    /// The inbox's webhook signing secret, sealed when a key is configured.
    pub webhook_secret: Option<String>,
    /// When the secret, or why there is none, was stored.
    pub webhook_secret_at: Option<i64>,
    /// Why the inbox showed no secret (`too-old:<version>`, `role:<role>`,
    /// `not-shown:<version>`).
    pub webhook_secret_hidden: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::instance::Entity",
        from = "Column::InstanceId",
        to = "super::instance::Column::Id",
        on_delete = "Cascade"
    )]
    Instance,
}

impl Related<super::instance::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Instance.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
