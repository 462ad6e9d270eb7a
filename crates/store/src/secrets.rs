//! Keys every instance of one database shares (the key that signs CSRF tokens): made at
//! random by the first instance that asks, read by the others.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};

use crate::{Store, StoreError};

impl Store {
    /// The shared secret `name`; `fresh` is stored when there is none yet (the first caller
    /// wins, every instance reads the same value).
    pub async fn server_secret(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        let (table, col_name, col_value) = (Alias::new("server_secrets"), Alias::new("name"), Alias::new("value"));
        let insert = Query::insert()
            .into_table(table.clone())
            .columns([col_name.clone(), col_value.clone()])
            .values_panic([name.into(), fresh.into()])
            .on_conflict(OnConflict::column(col_name.clone()).do_nothing().to_owned())
            .to_owned();
        self.conn().execute(&insert).await?;
        let select = Query::select().column(col_value).from(table).and_where(Expr::col(col_name).eq(name)).to_owned();
        let row = self.conn().query_one(&select).await?.ok_or(StoreError::NotFound)?;
        Ok(row.try_get_by_index::<String>(0)?)
    }
}
