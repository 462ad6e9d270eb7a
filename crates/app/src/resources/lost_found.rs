//! Lost property: recorded on a reception by General Management, listed while open on the
//! reception, the board and `/lost-found`, closed when it went back.

use jiedai_domain::reception::Viewer;
use jiedai_domain::resources::{FoundInput, ReturnInput};
use jiedai_domain::{Actor, FieldErrors, LostFoundId, ReceptionId};

use super::{StoredLostFound, must_manage};
use crate::{App, Error, Result, receptions};

/// A reception's lost property, for whoever may see it.
pub async fn lost_found_of(app: &App, viewer: &Viewer, id: ReceptionId) -> Result<Vec<StoredLostFound>> {
    receptions::visible(app, viewer, id).await?;
    Ok(app.store().lost_found_of(id).await?)
}

/// Everything not yet gone back (with `returned`, also the last that went back), for
/// General Management.
pub async fn open_lost_found(app: &App, viewer: &Viewer, returned: bool) -> Result<Vec<StoredLostFound>> {
    must_manage(viewer)?;
    Ok(app.store().lost_found_open(returned).await?)
}

/// Records something a guest left behind, on a reception taken on (or closed): every
/// problem at once; found by the person recording it unless another is named.
pub async fn record_found(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    input: &FoundInput,
    actor: &Actor,
) -> Result<StoredLostFound> {
    must_manage(viewer)?;
    let (r, _) = receptions::visible(app, viewer, id).await?;
    if !r.state.is_under_way() {
        return Err(Error::Conflict { code: "not_under_way", field: "state" });
    }
    let (f, mut errs) = match input.check(chrono::Utc::now()) {
        Ok(f) => (Some(f), FieldErrors::new()),
        Err(e) => (None, e),
    };
    super::check_person(app, "found_by", input.found_by, &mut errs).await?;
    let (Some(mut f), true) = (f, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    f.found_by = f.found_by.or(Some(viewer.user_id));
    Ok(app.store().add_lost_found(id, &f, actor).await?)
}

/// Records how a found thing went back (once).
pub async fn record_return(
    app: &App,
    viewer: &Viewer,
    id: LostFoundId,
    input: &ReturnInput,
    actor: &Actor,
) -> Result<StoredLostFound> {
    must_manage(viewer)?;
    let item = app.store().lost_found(id).await?;
    receptions::visible(app, viewer, item.reception_id).await?;
    let r = input.check(chrono::Utc::now())?;
    Ok(app.store().return_lost_found(id, &r, actor).await?)
}
