//! Rooms, cars and material (J9):
//! - `rooms`, `vehicles` (with a default driver), `stock_items` (on hand, reusable or not,
//!   unit cost, low-stock threshold), each with `active` (disabled, never deleted once
//!   used) and a version;
//! - `bookings`: a reception's room or car for a time range (a car with its driver), what
//!   for, and the reason when it was booked over a clash; indexed by what it holds and by
//!   driver, by start, so that a clash check reads a range;
//! - `item_lines`: a reception's item list (Attachment 3), each line with its source, the
//!   stock item it reserves, when it was counted out and how it came back;
//! - `stock_movements`: the stock ledger (who, when, why, by how much, on hand after);
//! - `lost_found`: what guests left behind and how it went back.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Receptions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CacheEpochs {
    Table,
    Topic,
    Epoch,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    Name,
    Building,
    Floor,
    Capacity,
    Equipment,
    Notes,
    Active,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Vehicles {
    Table,
    Id,
    Model,
    Seats,
    Plate,
    DefaultDriverId,
    Notes,
    Active,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockItems {
    Table,
    Id,
    Category,
    Name,
    Unit,
    OnHand,
    Reusable,
    Storage,
    UnitCostFen,
    LowStock,
    Active,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
    ReceptionId,
    ResourceKind,
    ResourceId,
    DriverId,
    StartsAt,
    EndsAt,
    Purpose,
    Note,
    OverrideReason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ItemLines {
    Table,
    Id,
    ReceptionId,
    Position,
    Category,
    Name,
    Unit,
    Quantity,
    ResponsibleId,
    Source,
    StockItemId,
    Vendor,
    ReturnDue,
    Checked,
    Notes,
    CountedOutAt,
    Returned,
    Consumed,
    Lost,
    Damaged,
    CountNote,
    WrittenOff,
    CountedBackAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    StockItemId,
    ReceptionId,
    ItemLineId,
    Kind,
    Quantity,
    Delta,
    OnHandAfter,
    Note,
    ActorUserId,
    ActorLabel,
    At,
}

#[derive(DeriveIden)]
enum LostFound {
    Table,
    Id,
    ReceptionId,
    What,
    FoundWhere,
    FoundAt,
    FoundBy,
    KeptAt,
    Notes,
    ReturnedTo,
    ReturnedAt,
    Means,
    Tracking,
    ReturnNote,
    Version,
    CreatedAt,
}

fn fk_user<T: IntoIden + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Users::Table, Users::Id).to_owned()
}

fn fk_reception<T: IntoIden + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Receptions::Table, Receptions::Id).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Rooms::Table)
                .col(ColumnDef::new(Rooms::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Rooms::Name).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Rooms::Building).string_len(64).not_null().default(""))
                .col(ColumnDef::new(Rooms::Floor).string_len(64).not_null().default(""))
                .col(ColumnDef::new(Rooms::Capacity).integer().not_null())
                .col(ColumnDef::new(Rooms::Equipment).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Rooms::Notes).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Rooms::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Rooms::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Rooms::UpdatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Vehicles::Table)
                .col(ColumnDef::new(Vehicles::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Vehicles::Model).string_len(64).not_null())
                .col(ColumnDef::new(Vehicles::Seats).integer().not_null())
                .col(ColumnDef::new(Vehicles::Plate).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Vehicles::DefaultDriverId).integer())
                .col(ColumnDef::new(Vehicles::Notes).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Vehicles::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Vehicles::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Vehicles::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_user(Vehicles::Table, Vehicles::DefaultDriverId))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StockItems::Table)
                .col(ColumnDef::new(StockItems::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(StockItems::Category).string_len(64).not_null())
                .col(ColumnDef::new(StockItems::Name).string_len(64).not_null())
                .col(ColumnDef::new(StockItems::Unit).string_len(64).not_null())
                .col(ColumnDef::new(StockItems::OnHand).big_integer().not_null())
                .col(ColumnDef::new(StockItems::Reusable).boolean().not_null())
                .col(ColumnDef::new(StockItems::Storage).string_len(64).not_null().default(""))
                .col(ColumnDef::new(StockItems::UnitCostFen).big_integer().not_null().default(0))
                .col(ColumnDef::new(StockItems::LowStock).big_integer().not_null().default(0))
                .col(ColumnDef::new(StockItems::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(StockItems::Version).integer().not_null().default(1))
                .col(ColumnDef::new(StockItems::UpdatedAt).timestamp_with_time_zone().not_null())
                .index(
                    Index::create()
                        .name("ux_stock_items_name")
                        .col(StockItems::Category)
                        .col(StockItems::Name)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Bookings::Table)
                .col(ColumnDef::new(Bookings::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Bookings::ReceptionId).integer().not_null())
                .col(ColumnDef::new(Bookings::ResourceKind).string_len(16).not_null())
                .col(ColumnDef::new(Bookings::ResourceId).integer().not_null())
                .col(ColumnDef::new(Bookings::DriverId).integer())
                .col(ColumnDef::new(Bookings::StartsAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Bookings::EndsAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Bookings::Purpose).string_len(16).not_null())
                .col(ColumnDef::new(Bookings::Note).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Bookings::OverrideReason).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Bookings::CreatedBy).integer())
                .col(ColumnDef::new(Bookings::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(Bookings::Table, Bookings::ReceptionId))
                .foreign_key(&mut fk_user(Bookings::Table, Bookings::DriverId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_bookings_resource")
                .table(Bookings::Table)
                .col(Bookings::ResourceKind)
                .col(Bookings::ResourceId)
                .col(Bookings::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_bookings_driver")
                .table(Bookings::Table)
                .col(Bookings::DriverId)
                .col(Bookings::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_bookings_reception").table(Bookings::Table).col(Bookings::ReceptionId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ItemLines::Table)
                .col(ColumnDef::new(ItemLines::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ItemLines::ReceptionId).integer().not_null())
                .col(ColumnDef::new(ItemLines::Position).integer().not_null())
                .col(ColumnDef::new(ItemLines::Category).string_len(64).not_null())
                .col(ColumnDef::new(ItemLines::Name).string_len(64).not_null())
                .col(ColumnDef::new(ItemLines::Unit).string_len(64).not_null().default(""))
                .col(ColumnDef::new(ItemLines::Quantity).integer().not_null())
                .col(ColumnDef::new(ItemLines::ResponsibleId).integer())
                .col(ColumnDef::new(ItemLines::Source).string_len(16).not_null())
                .col(ColumnDef::new(ItemLines::StockItemId).integer())
                .col(ColumnDef::new(ItemLines::Vendor).string_len(64).not_null().default(""))
                .col(ColumnDef::new(ItemLines::ReturnDue).date())
                .col(ColumnDef::new(ItemLines::Checked).boolean().not_null().default(false))
                .col(ColumnDef::new(ItemLines::Notes).string_len(500).not_null().default(""))
                .col(ColumnDef::new(ItemLines::CountedOutAt).timestamp_with_time_zone())
                .col(ColumnDef::new(ItemLines::Returned).integer())
                .col(ColumnDef::new(ItemLines::Consumed).integer())
                .col(ColumnDef::new(ItemLines::Lost).integer())
                .col(ColumnDef::new(ItemLines::Damaged).integer())
                .col(ColumnDef::new(ItemLines::CountNote).string_len(500).not_null().default(""))
                .col(ColumnDef::new(ItemLines::WrittenOff).boolean().not_null().default(false))
                .col(ColumnDef::new(ItemLines::CountedBackAt).timestamp_with_time_zone())
                .col(ColumnDef::new(ItemLines::Version).integer().not_null().default(1))
                .col(ColumnDef::new(ItemLines::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(ItemLines::Table, ItemLines::ReceptionId))
                .foreign_key(&mut fk_user(ItemLines::Table, ItemLines::ResponsibleId))
                .foreign_key(
                    ForeignKey::create()
                        .from(ItemLines::Table, ItemLines::StockItemId)
                        .to(StockItems::Table, StockItems::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_item_lines_reception")
                .table(ItemLines::Table)
                .col(ItemLines::ReceptionId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_item_lines_stock").table(ItemLines::Table).col(ItemLines::StockItemId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StockMovements::Table)
                .col(ColumnDef::new(StockMovements::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(StockMovements::StockItemId).integer().not_null())
                .col(ColumnDef::new(StockMovements::ReceptionId).integer())
                .col(ColumnDef::new(StockMovements::ItemLineId).integer())
                .col(ColumnDef::new(StockMovements::Kind).string_len(16).not_null())
                .col(ColumnDef::new(StockMovements::Quantity).big_integer().not_null())
                .col(ColumnDef::new(StockMovements::Delta).big_integer().not_null())
                .col(ColumnDef::new(StockMovements::OnHandAfter).big_integer().not_null())
                .col(ColumnDef::new(StockMovements::Note).string_len(500).not_null().default(""))
                .col(ColumnDef::new(StockMovements::ActorUserId).integer())
                .col(ColumnDef::new(StockMovements::ActorLabel).string_len(64).not_null())
                .col(ColumnDef::new(StockMovements::At).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(StockMovements::Table, StockMovements::StockItemId)
                        .to(StockItems::Table, StockItems::Id),
                )
                .foreign_key(&mut fk_reception(StockMovements::Table, StockMovements::ReceptionId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stock_movements_item")
                .table(StockMovements::Table)
                .col(StockMovements::StockItemId)
                .col(StockMovements::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LostFound::Table)
                .col(ColumnDef::new(LostFound::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(LostFound::ReceptionId).integer().not_null())
                .col(ColumnDef::new(LostFound::What).string_len(64).not_null())
                .col(ColumnDef::new(LostFound::FoundWhere).string_len(64).not_null())
                .col(ColumnDef::new(LostFound::FoundAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(LostFound::FoundBy).integer())
                .col(ColumnDef::new(LostFound::KeptAt).string_len(64).not_null().default(""))
                .col(ColumnDef::new(LostFound::Notes).string_len(500).not_null().default(""))
                .col(ColumnDef::new(LostFound::ReturnedTo).string_len(64))
                .col(ColumnDef::new(LostFound::ReturnedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(LostFound::Means).string_len(16))
                .col(ColumnDef::new(LostFound::Tracking).string_len(64).not_null().default(""))
                .col(ColumnDef::new(LostFound::ReturnNote).string_len(500).not_null().default(""))
                .col(ColumnDef::new(LostFound::Version).integer().not_null().default(1))
                .col(ColumnDef::new(LostFound::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk_reception(LostFound::Table, LostFound::ReceptionId))
                .foreign_key(&mut fk_user(LostFound::Table, LostFound::FoundBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_lost_found_reception")
                .table(LostFound::Table)
                .col(LostFound::ReceptionId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_lost_found_open").table(LostFound::Table).col(LostFound::ReturnedAt).to_owned(),
        )
        .await?;
        let mut mark = Query::insert();
        mark.into_table(CacheEpochs::Table)
            .columns([CacheEpochs::Topic, CacheEpochs::Epoch])
            .values_panic(["resources".into(), 0i64.into()]);
        m.exec_stmt(mark).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut mark = Query::delete();
        mark.from_table(CacheEpochs::Table).and_where(Expr::col(CacheEpochs::Topic).eq("resources"));
        m.exec_stmt(mark).await?;
        m.drop_table(Table::drop().table(LostFound::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(StockMovements::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ItemLines::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Bookings::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(StockItems::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Vehicles::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Rooms::Table).to_owned()).await
    }
}
