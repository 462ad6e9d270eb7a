//! Receipts of expenses: PDFs and images told by their own bytes (the rules of a request's
//! attachments), at most 10 MiB each and 10 on a line.

use jiedai_domain::reception::Viewer;
use jiedai_domain::settlement::MAX_RECEIPTS;
use jiedai_domain::{Actor, ExpenseId, ReceiptId};

use super::{ReceiptMeta, line_of, refused};
use crate::{App, Result, receptions};

/// Adds a receipt to a line (General Management, while the line may change).
pub async fn add_receipt(
    app: &App,
    viewer: &Viewer,
    id: ExpenseId,
    name: &str,
    bytes: Vec<u8>,
    actor: &Actor,
) -> Result<ReceiptMeta> {
    let (line, r) = line_of(app, viewer, id).await?;
    super::takes_expenses(&r, line.expense.adjusting)?;
    let file = receptions::attachments::checked_file(name, bytes)?;
    app.store().add_receipt(id, file, MAX_RECEIPTS, actor).await.map_err(refused)
}

/// A receipt and its bytes, for whoever may see its reception.
pub async fn read_receipt(app: &App, viewer: &Viewer, id: ReceiptId) -> Result<(ReceiptMeta, Vec<u8>)> {
    let meta = app.store().receipt_meta(id).await?;
    receptions::visible(app, viewer, meta.reception_id).await?;
    let data = app.store().receipt_data(id).await?;
    Ok((meta, data))
}

/// Removes a receipt (General Management, while its line may change).
pub async fn delete_receipt(app: &App, viewer: &Viewer, id: ReceiptId, actor: &Actor) -> Result<ReceiptMeta> {
    let meta = app.store().receipt_meta(id).await?;
    let (line, r) = line_of(app, viewer, meta.expense_id).await?;
    super::takes_expenses(&r, line.expense.adjusting)?;
    app.store().delete_receipt(id, actor).await.map_err(refused)
}
