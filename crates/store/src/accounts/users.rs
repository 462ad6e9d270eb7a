//! Users and their roles.

use std::collections::HashMap;

use chrono::Utc;
use jiedai_domain::{Actor, Code, DepartmentId, Language, Role, RoleSet, User, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use crate::audit::record;
use crate::entity::{department, session, user, user_role};
use crate::error::is_unique_violation;
use crate::{Store, StoreError, Topic};

/// Key of the advisory lock that makes first-run set-up create one administrator.
const FIRST_USER_LOCK: i64 = 72657;

/// A user to create; values already parsed and the password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name (parsed).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Department.
    pub department_id: Option<DepartmentId>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Interface language.
    pub language: Language,
    /// argon2id hash; `None`: cannot sign in with a password yet.
    pub password_hash: Option<String>,
    /// Roles.
    pub roles: RoleSet,
}

/// The editable profile of a user.
#[derive(Debug, Clone)]
pub struct UserUpdate {
    /// Name shown.
    pub display_name: String,
    /// Department.
    pub department_id: Option<DepartmentId>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Interface language.
    pub language: Language,
    /// Disabled users cannot sign in.
    pub active: bool,
    /// Roles.
    pub roles: RoleSet,
}

/// What the audit log keeps of a user: never the password hash.
#[derive(Serialize)]
struct UserSnapshot<'a> {
    username: &'a str,
    display_name: &'a str,
    department_id: Option<DepartmentId>,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    language: &'a str,
    active: bool,
    roles: Vec<&'static str>,
}

fn snapshot(u: &User) -> UserSnapshot<'_> {
    UserSnapshot {
        username: &u.username,
        display_name: &u.display_name,
        department_id: u.department_id,
        phone: u.phone.as_deref(),
        email: u.email.as_deref(),
        language: u.language.tag(),
        active: u.active,
        roles: u.roles.iter().map(Role::as_str).collect(),
    }
}

fn to_user(m: user::Model, roles: RoleSet, department_name: Option<String>) -> User {
    User {
        id: UserId(m.id),
        username: m.username,
        display_name: m.display_name,
        department_id: m.department_id.map(DepartmentId),
        department_name,
        phone: m.phone,
        email: m.email,
        language: Language::parse(&m.language).unwrap_or_default(),
        active: m.active,
        roles,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

async fn roles_of<C: ConnectionTrait>(c: &C, ids: &[i32]) -> Result<HashMap<i32, RoleSet>, StoreError> {
    let mut map: HashMap<i32, RoleSet> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let rows = user_role::Entity::find().filter(user_role::Column::UserId.is_in(ids.to_vec())).all(c).await?;
    for r in rows {
        if let Some(role) = Role::parse(r.role.trim()) {
            map.entry(r.user_id).or_default().insert(role);
        }
    }
    Ok(map)
}

async fn department_names<C: ConnectionTrait>(c: &C, ids: Vec<i32>) -> Result<HashMap<i32, String>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = department::Entity::find().filter(department::Column::Id.is_in(ids)).all(c).await?;
    Ok(rows.into_iter().map(|d| (d.id, d.name)).collect())
}

/// Loads full users for a set of rows, with roles and department names.
pub(crate) async fn hydrate<C: ConnectionTrait>(c: &C, rows: Vec<user::Model>) -> Result<Vec<User>, StoreError> {
    let ids: Vec<i32> = rows.iter().map(|u| u.id).collect();
    let mut roles = roles_of(c, &ids).await?;
    let mut dept_ids: Vec<i32> = rows.iter().filter_map(|u| u.department_id).collect();
    dept_ids.sort_unstable();
    dept_ids.dedup();
    let depts = department_names(c, dept_ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let r = roles.remove(&m.id).unwrap_or_default();
            let d = m.department_id.and_then(|id| depts.get(&id).cloned());
            to_user(m, r, d)
        })
        .collect())
}

async fn load<C: ConnectionTrait>(c: &C, id: UserId) -> Result<User, StoreError> {
    let m = user::Entity::find_by_id(id.get()).one(c).await?.ok_or(StoreError::NotFound)?;
    Ok(hydrate(c, vec![m]).await?.remove(0))
}

async fn check_department<C: ConnectionTrait>(c: &C, id: Option<DepartmentId>) -> Result<(), StoreError> {
    if let Some(id) = id
        && department::Entity::find_by_id(id.get()).one(c).await?.is_none()
    {
        return Err(StoreError::InvalidReference("department_id"));
    }
    Ok(())
}

async fn write_roles<C: ConnectionTrait>(c: &C, user_id: UserId, roles: RoleSet) -> Result<(), StoreError> {
    user_role::Entity::delete_many().filter(user_role::Column::UserId.eq(user_id.get())).exec(c).await?;
    for r in roles.iter() {
        user_role::ActiveModel { user_id: Set(user_id.get()), role: Set(r.as_str().to_owned()) }.insert(c).await?;
    }
    Ok(())
}

impl Store {
    /// How many users exist (first-run set-up is open while this is zero).
    pub async fn count_users(&self) -> Result<u64, StoreError> {
        Ok(user::Entity::find().count(self.conn()).await?)
    }

    /// Creates a user with roles, audited.
    pub async fn create_user(&self, new: NewUser, actor: &Actor) -> Result<User, StoreError> {
        self.insert_user(new, actor, false).await
    }

    /// Creates the first user, only while none exists (first-run set-up): two people
    /// submitting the set-up form at once make one administrator, not two.
    pub async fn create_first_user(&self, new: NewUser, actor: &Actor) -> Result<User, StoreError> {
        self.insert_user(new, actor, true).await
    }

    async fn insert_user(&self, new: NewUser, actor: &Actor, only_first: bool) -> Result<User, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let c = &w.txn;
        if only_first {
            // SQLite writers are already serialized by the write gate; PostgreSQL
            // serializes set-up attempts on an advisory lock held until commit.
            crate::engine::lock_in(c, FIRST_USER_LOCK).await?;
            if user::Entity::find().count(c).await? > 0 {
                return Err(StoreError::Conflict("first_user"));
            }
        }
        check_department(c, new.department_id).await?;
        let now = Utc::now();
        let inserted = user::ActiveModel {
            username: Set(new.username),
            display_name: Set(new.display_name),
            department_id: Set(new.department_id.map(DepartmentId::get)),
            phone: Set(new.phone),
            email: Set(new.email),
            language: Set(new.language.tag().to_owned()),
            password_hash: Set(new.password_hash),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(c)
        .await
        .map_err(|e| if is_unique_violation(&e) { StoreError::Conflict("username") } else { e.into() })?;
        write_roles(c, UserId(inserted.id), new.roles).await?;
        let u = load(c, UserId(inserted.id)).await?;
        record(c, actor, "user", Some(u.id.to_string()), "create", None::<&()>, Some(&snapshot(&u))).await?;
        w.commit().await?;
        Ok(u)
    }

    /// One user by id.
    pub async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        load(self.conn(), id).await
    }

    /// A user and their password hash, by username (for sign-in).
    pub async fn find_login(&self, username: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
        let Some(m) = user::Entity::find().filter(user::Column::Username.eq(username)).one(self.conn()).await? else {
            return Ok(None);
        };
        let hash = m.password_hash.clone();
        let u = hydrate(self.conn(), vec![m]).await?.remove(0);
        Ok(Some((u, hash)))
    }

    /// A user by username.
    pub async fn find_user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        Ok(self.find_login(username).await?.map(|(u, _)| u))
    }

    /// Every user, by username; optionally only those matching `q` in username or name.
    pub async fn list_users(&self, q: Option<&str>) -> Result<Vec<User>, StoreError> {
        let mut sel = user::Entity::find();
        if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
            use crate::engine::{Match, like_text};
            sel = sel.filter(
                sea_orm::Condition::any()
                    .add(like_text(user::Column::Username, &q.to_lowercase(), Match::Anywhere))
                    .add(like_text(user::Column::DisplayName, q, Match::Anywhere)),
            );
        }
        let rows = sel.order_by_asc(user::Column::Username).all(self.conn()).await?;
        hydrate(self.conn(), rows).await
    }

    /// Changes a user's profile, roles and active flag, if nobody changed it since
    /// `version`. Disabling ends the user's sessions.
    pub async fn update_user(
        &self,
        id: UserId,
        version: i32,
        upd: UserUpdate,
        actor: &Actor,
    ) -> Result<User, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let c = &w.txn;
        let before = load(c, id).await?;
        if before.version != version {
            return Err(StoreError::StaleVersion);
        }
        check_department(c, upd.department_id).await?;
        let res = user::Entity::update_many()
            .col_expr(user::Column::DisplayName, Expr::value(upd.display_name))
            .col_expr(user::Column::DepartmentId, Expr::value(upd.department_id.map(DepartmentId::get)))
            .col_expr(user::Column::Phone, Expr::value(upd.phone))
            .col_expr(user::Column::Email, Expr::value(upd.email))
            .col_expr(user::Column::Language, Expr::value(upd.language.tag()))
            .col_expr(user::Column::Active, Expr::value(upd.active))
            .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(user::Column::Version, Expr::value(version + 1))
            .filter(user::Column::Id.eq(id.get()))
            .filter(user::Column::Version.eq(version))
            .exec(c)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::StaleVersion);
        }
        write_roles(c, id, upd.roles).await?;
        if !upd.active {
            session::Entity::delete_many().filter(session::Column::UserId.eq(id.get())).exec(c).await?;
        }
        let after = load(c, id).await?;
        record(c, actor, "user", Some(id.to_string()), "update", Some(&snapshot(&before)), Some(&snapshot(&after)))
            .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Sets a new password hash and ends the user's other sessions (all of them when
    /// `keep_session` is `None`).
    pub async fn set_password(
        &self,
        id: UserId,
        hash: String,
        keep_session: Option<&str>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let c = &w.txn;
        let before = load(c, id).await?;
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::value(hash))
            .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(user::Column::Version, Expr::value(before.version + 1))
            .filter(user::Column::Id.eq(id.get()))
            .exec(c)
            .await?;
        let mut del = session::Entity::delete_many().filter(session::Column::UserId.eq(id.get()));
        if let Some(keep) = keep_session {
            del = del.filter(session::Column::IdHash.ne(keep));
        }
        del.exec(c).await?;
        record(c, actor, "user", Some(id.to_string()), "set_password", None::<&()>, None::<&()>).await?;
        w.commit().await
    }

    /// Sets a user's preferred language.
    pub async fn set_language(&self, id: UserId, lang: Language, actor: &Actor) -> Result<User, StoreError> {
        let mut w = self.write().await?;
        w.touch(Topic::Auth).await?;
        let c = &w.txn;
        let before = load(c, id).await?;
        user::Entity::update_many()
            .col_expr(user::Column::Language, Expr::value(lang.tag()))
            .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(user::Column::Version, Expr::value(before.version + 1))
            .filter(user::Column::Id.eq(id.get()))
            .exec(c)
            .await?;
        let after = load(c, id).await?;
        record(
            c,
            actor,
            "user",
            Some(id.to_string()),
            "set_language",
            Some(&snapshot(&before)),
            Some(&snapshot(&after)),
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }
}
