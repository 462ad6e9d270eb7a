//! Files on a request: who may add, read and remove them, and what is taken (PDFs and
//! images, told by their own bytes, 10 MiB at most, 20 on one request).

use jiedai_domain::reception::attachment::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, clean_name, sniff};
use jiedai_domain::reception::{Standing, State, Viewer};
use jiedai_domain::{Actor, FieldError, ReceptionId, Role};
use jiedai_store::{AttachmentMeta, NewAttachment, StoreError};

use super::view::visible;
use crate::{App, Error, Result};

/// May add files to a reception in this state: while it is open, its requester, the
/// requesting department's people who file requests, General Management and administrators.
pub fn may_attach(standing: &Standing, state: State) -> bool {
    !state.is_closed()
        && (standing.is_requester
            || (standing.in_department && standing.roles.contains(Role::Requester))
            || standing.roles.contains(Role::Coordinator)
            || standing.roles.contains(Role::Admin))
}

/// A file as taken (a request's attachment, an expense's receipt): not empty, at most
/// 10 MiB, a PDF or an image told by its own bytes whatever its name says, its name cleaned.
pub(crate) fn checked_file(name: &str, bytes: Vec<u8>) -> Result<NewAttachment> {
    if bytes.is_empty() {
        return Err(FieldError::new("file", "required").into());
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(FieldError::with_limit("file", "file_too_large", MAX_ATTACHMENT_BYTES / (1024 * 1024)).into());
    }
    let Some(content_type) = sniff(&bytes) else {
        return Err(FieldError::new("file", "unsupported_file_type").into());
    };
    Ok(NewAttachment { name: clean_name(name, content_type), content_type: content_type.to_owned(), data: bytes })
}

/// Attaches a file to a reception.
pub async fn attach(
    app: &App,
    viewer: &Viewer,
    id: ReceptionId,
    name: &str,
    bytes: Vec<u8>,
    actor: &Actor,
) -> Result<AttachmentMeta> {
    let (r, standing) = visible(app, viewer, id).await?;
    if !may_attach(&standing, r.state) {
        return Err(Error::Forbidden);
    }
    let file = checked_file(name, bytes)?;
    app.store().add_attachment(id, file, MAX_ATTACHMENTS, actor).await.map_err(|e| match e {
        StoreError::Conflict("too_many_attachments") => {
            FieldError::with_limit("file", "too_many_attachments", MAX_ATTACHMENTS as usize).into()
        }
        e => e.into(),
    })
}

/// One attachment and its bytes, if the viewer may see its reception.
pub async fn read(app: &App, viewer: &Viewer, id: i32) -> Result<(AttachmentMeta, Vec<u8>)> {
    let meta = app.store().attachment_meta(id).await?;
    visible(app, viewer, meta.reception_id).await?;
    let data = app.store().attachment_data(id).await?;
    Ok((meta, data))
}

/// Removes an attachment: whoever added it, the request's requester or an administrator,
/// while the reception is open.
pub async fn remove(app: &App, viewer: &Viewer, id: i32, actor: &Actor) -> Result<AttachmentMeta> {
    let meta = app.store().attachment_meta(id).await?;
    let (r, standing) = visible(app, viewer, meta.reception_id).await?;
    let own = meta.uploaded_by == Some(viewer.user_id);
    if r.state.is_closed() || !(own || standing.is_requester || viewer.is_admin()) {
        return Err(Error::Forbidden);
    }
    app.store().delete_attachment(id, actor).await?;
    Ok(meta)
}
