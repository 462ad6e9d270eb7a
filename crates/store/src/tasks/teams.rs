//! The groups of the task division: seeded with the procedure's five (司机, 嘉宾组, 后勤组,
//! 流程组, 服务组) on first read, each with a lead and members.

use std::collections::HashMap;

use chrono::Utc;
use jiedai_domain::{TeamId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::{team, team_member};
use crate::{Store, StoreError};

/// A group and its people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTeam {
    /// Id.
    pub id: TeamId,
    /// Key (`driver`, `guest`… as tasks name their group).
    pub key: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Default lead: the suggested responsible for the group's tasks.
    pub lead: Option<UserId>,
    /// Members.
    pub members: Vec<UserId>,
    /// Optimistic-locking version.
    pub version: i32,
}

/// The procedure's groups, as first seeded.
const DEFAULT_TEAMS: &[(&str, &str, &str)] = &[
    ("driver", "司机", "Drivers"),
    ("guest", "嘉宾组", "Guest group"),
    ("logistics", "后勤组", "Logistics group"),
    ("process", "流程组", "Process group"),
    ("service", "服务组", "Service group"),
];

impl Store {
    /// Every group with its members, in the procedure's order; the five groups of the
    /// procedure are written on first read (a second instance seeding at the same moment
    /// finds them taken and reads them).
    pub async fn teams(&self) -> Result<Vec<StoredTeam>, StoreError> {
        let mut rows = team::Entity::find().order_by_asc(team::Column::Id).all(self.conn()).await?;
        if rows.is_empty() {
            let now = Utc::now();
            for (key, zh, en) in DEFAULT_TEAMS {
                let m = team::ActiveModel {
                    key: Set((*key).to_owned()),
                    name_zh: Set((*zh).to_owned()),
                    name_en: Set((*en).to_owned()),
                    lead_user_id: Set(None),
                    version: Set(1),
                    updated_at: Set(now),
                    ..Default::default()
                };
                // Taken by another instance meanwhile: theirs is as good.
                let _ = team::Entity::insert(m).exec(self.conn()).await;
            }
            rows = team::Entity::find().order_by_asc(team::Column::Id).all(self.conn()).await?;
        }
        let mut members: HashMap<i32, Vec<UserId>> = HashMap::new();
        for m in team_member::Entity::find()
            .filter(team_member::Column::TeamId.is_in(rows.iter().map(|r| r.id)))
            .order_by_asc(team_member::Column::UserId)
            .all(self.conn())
            .await?
        {
            members.entry(m.team_id).or_default().push(UserId(m.user_id));
        }
        Ok(rows
            .into_iter()
            .map(|r| StoredTeam {
                id: TeamId(r.id),
                members: members.remove(&r.id).unwrap_or_default(),
                key: r.key,
                name_zh: r.name_zh,
                name_en: r.name_en,
                lead: r.lead_user_id.map(UserId),
                version: r.version,
            })
            .collect())
    }
}

impl Store {
    /// Sets a group's lead and members, read at `version` ([`StoreError::StaleVersion`]
    /// otherwise), audited. The lead is counted among the members.
    pub async fn save_team(
        &self,
        id: TeamId,
        version: i32,
        lead: Option<UserId>,
        members: &[UserId],
        actor: &jiedai_domain::Actor,
    ) -> Result<StoredTeam, StoreError> {
        use sea_orm::sea_query::Expr;
        let w = self.write().await?;
        let c = &w.txn;
        let before = team::Entity::find_by_id(id.get()).one(c).await?.ok_or(StoreError::NotFound)?;
        let before_members: Vec<i32> = team_member::Entity::find()
            .filter(team_member::Column::TeamId.eq(id.get()))
            .order_by_asc(team_member::Column::UserId)
            .all(c)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        let mut after_members: Vec<i32> = members.iter().chain(lead.iter()).map(|u| u.get()).collect();
        after_members.sort_unstable();
        after_members.dedup();
        let res = team::Entity::update_many()
            .col_expr(team::Column::LeadUserId, Expr::value(lead.map(UserId::get)))
            .col_expr(team::Column::Version, Expr::value(version + 1))
            .col_expr(team::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(team::Column::Id.eq(id.get()))
            .filter(team::Column::Version.eq(version))
            .exec(c)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        team_member::Entity::delete_many().filter(team_member::Column::TeamId.eq(id.get())).exec(c).await?;
        for u in &after_members {
            if crate::entity::user::Entity::find_by_id(*u).one(c).await?.is_none() {
                return Err(StoreError::InvalidReference("members"));
            }
            team_member::Entity::insert(team_member::ActiveModel { team_id: Set(id.get()), user_id: Set(*u) })
                .exec(c)
                .await?;
        }
        let doc = |lead: Option<i32>, members: &[i32]| serde_json::json!({ "lead_user_id": lead, "members": members });
        crate::audit::record(
            c,
            actor,
            "team",
            Some(id.to_string()),
            "update",
            Some(&doc(before.lead_user_id, &before_members)),
            Some(&doc(lead.map(UserId::get), &after_members)),
        )
        .await?;
        w.commit().await?;
        self.teams().await?.into_iter().find(|t| t.id == id).ok_or(StoreError::NotFound)
    }
}
