//! A reception's items and bookings on a page: its rooms and cars, its item list
//! (物品清单表, Attachment 3) counted out and back line by line in the printed sheet's order,
//! and what its guests left behind. General Management changes them right there; everyone
//! else who may see the reception reads them.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiedai_app::resources::{self, BookingView, LineView};
use jiedai_app::{accounts, receptions};
use jiedai_domain::reception::State as RState;
use jiedai_domain::resources::{Clash, ItemSource, Purpose};
use jiedai_domain::{BookingId, Code, ItemLineId, LostFoundId, ReceptionId};

use super::items_view::{
    BookingForm, ClashRow, CountForm, FoundForm, LineForm, LostRow, ReturnForm, clash_rows, count_text, local_input,
    lost_rows, means_options, purpose_key, source_key, span_text, warning_key,
};
use crate::auth::Cx;
use crate::error::AppResult;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::render::{Chrome, page};
use crate::state::AppState;

/// The form that was just sent and came back with problems, to show again as typed.
pub(super) enum Sent {
    /// None.
    Nothing,
    /// A line's form (`None`: the form adding one), with what holds the stock.
    Line(Option<ItemLineId>, LineForm, FormErrors, Vec<Clash>),
    /// A line's count back.
    Count(ItemLineId, CountForm, FormErrors),
    /// The booking form, with what it clashes with.
    Booking(BookingForm, FormErrors, Vec<Clash>),
    /// The form recording something left behind.
    Found(FoundForm, FormErrors),
    /// A return of lost property.
    Return(LostFoundId, ReturnForm, FormErrors),
}

/// A booking as the page lists it.
pub struct BookingRow {
    id: BookingId,
    name: String,
    purpose: &'static str,
    when: String,
    driver: String,
    warnings: Vec<&'static str>,
    clashes: Vec<ClashRow>,
    override_reason: String,
    note: String,
}

/// A line of the item list with its forms.
pub struct LineRow {
    id: ItemLineId,
    /// The ids of its forms' inputs begin with these.
    pre: String,
    cpre: String,
    position: i32,
    category: String,
    name: String,
    quantity: u32,
    unit: String,
    responsible: String,
    source: &'static str,
    source_detail: String,
    status: String,
    status_badge: &'static str,
    checked: bool,
    notes: String,
    version: i32,
    counted_out: bool,
    counted_back: bool,
    /// The edit form, as stored or as typed.
    form: LineForm,
    errs: FormErrors,
    clashes: Vec<ClashRow>,
    /// The count-back form, as typed or prefilled with the quantity back.
    count: CountForm,
    count_errs: FormErrors,
}

/// The inputs of a line's form that show their own problems.
const LINE_FIELDS: [&str; 9] =
    ["category", "name", "unit", "quantity", "responsible_id", "stock_item_id", "vendor", "return_due", "notes"];

impl LineRow {
    /// The problems of its form that no input shows (changed meanwhile, not under way).
    fn others(&self) -> Vec<String> {
        self.errs.messages_outside(&LINE_FIELDS)
    }

    /// The problems of its count back that no input shows (a line not yet counted out is
    /// only written off: its form has no numbers).
    fn count_others(&self) -> Vec<String> {
        if self.counted_out {
            self.count_errs.messages_outside(&["returned", "consumed", "lost", "damaged", "note"])
        } else {
            self.count_errs.messages_outside(&["note"])
        }
    }
}

#[derive(Template)]
#[template(path = "resources/items.html")]
struct ItemsPage {
    c: Chrome,
    id: ReceptionId,
    code: String,
    organization: String,
    dates: String,
    /// Taken on: the list and the bookings exist.
    taken_on: bool,
    /// The viewer keeps them (General Management) and the reception is under way.
    editable: bool,
    notice: Option<String>,
    bookings: Vec<BookingRow>,
    booking: BookingForm,
    booking_errs: FormErrors,
    booking_clashes: Vec<ClashRow>,
    /// Bookable rooms and cars: `(value, name)`.
    rooms: Vec<(String, String)>,
    vehicles: Vec<(String, String)>,
    /// Active people (drivers, responsibles): `(id, name)`.
    people: Vec<(String, String)>,
    purposes: Vec<(&'static str, &'static str)>,
    lines: Vec<LineRow>,
    new_line: LineForm,
    new_errs: FormErrors,
    new_clashes: Vec<ClashRow>,
    /// Active stock items: `(id, name)`.
    stock: Vec<(String, String)>,
    sources: Vec<(&'static str, &'static str)>,
    to_count_out: usize,
    to_count_back: usize,
    lost: Vec<LostRow>,
    found: FoundForm,
    found_errs: FormErrors,
    means: Vec<(&'static str, &'static str)>,
    /// The viewer keeps rooms, cars and stock (General Management).
    manages: bool,
}

impl ItemsPage {
    /// The problems of the add-a-line form that no input shows.
    fn new_others(&self) -> Vec<String> {
        self.new_errs.messages_outside(&LINE_FIELDS)
    }

    /// The problems of the booking form that no input shows.
    fn booking_others(&self) -> Vec<String> {
        self.booking_errs.messages_outside(&[
            "resource_id",
            "starts_at",
            "ends_at",
            "driver_id",
            "note",
            "override_reason",
        ])
    }

    /// The problems of the lost property form that no input shows.
    fn found_others(&self) -> Vec<String> {
        self.found_errs.messages_outside(&["what", "found_where", "found_at", "kept_at", "notes"])
    }
}

/// Active people by name: `(id, name)`.
pub(super) async fn active_people(s: &AppState) -> AppResult<Vec<(String, String)>> {
    let mut people: Vec<(String, String)> = accounts::list_users(&s.app, None)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id.to_string(), u.display_name))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people)
}

fn booking_row(tr: Tr, s: &AppState, c: &Chrome, v: BookingView, names: &[(String, String)]) -> BookingRow {
    let b = v.booking;
    let driver = b.driver_id.map(|d| d.to_string()).unwrap_or_default();
    BookingRow {
        id: b.id,
        name: v.resource_name,
        purpose: purpose_key(b.purpose),
        when: span_text(tr, s.tz(), b.span.start, b.span.end),
        driver: names.iter().find(|p| p.0 == driver).map(|p| p.1.clone()).unwrap_or_default(),
        warnings: v.warnings.into_iter().map(warning_key).collect(),
        clashes: clash_rows(tr, s.tz(), c.today, &v.clashes),
        override_reason: b.override_reason,
        note: b.note,
    }
}

fn line_row(tr: Tr, s: &AppState, v: LineView) -> LineRow {
    let l = &v.line;
    let i = &l.line;
    let source_detail = match i.source {
        ItemSource::Stock => match &v.stock {
            Some((name, on_hand)) => {
                format!("{name} · {}", tr.t_with("items.on_hand", &[("value", &on_hand.to_string())]))
            }
            None => String::new(),
        },
        ItemSource::Rental => {
            let due = i.return_due.map(|d| format!("{} {d}", tr.t("items.return_due"))).unwrap_or_default();
            [i.vendor.clone(), due].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" · ")
        }
        ItemSource::Purchase => i.vendor.clone(),
    };
    let (status, status_badge) = match (&l.count, l.counted_out_at) {
        (Some(c), _) if c.write_off => (tr.t("items.status_written_off").to_owned(), "badge badge-grey"),
        (Some(c), _) => (format!("{}: {}", tr.t("items.status_counted_back"), count_text(tr, c)), "badge badge-green"),
        (None, Some(at)) => {
            (format!("{} {}", tr.t("items.status_counted_out"), tr.datetime(at, s.tz())), "badge badge-blue")
        }
        (None, None) if i.source == ItemSource::Stock => (tr.t("items.status_reserved").to_owned(), "badge"),
        (None, None) => (tr.t("items.status_to_prepare").to_owned(), "badge"),
    };
    LineRow {
        id: l.id,
        pre: format!("line{}", l.id),
        cpre: format!("count{}", l.id),
        position: l.position,
        category: i.category.clone(),
        name: i.name.clone(),
        quantity: i.quantity,
        unit: i.unit.clone(),
        responsible: v.responsible.clone().unwrap_or_default(),
        source: source_key(i.source),
        source_detail,
        status,
        status_badge,
        checked: i.checked,
        notes: i.notes.clone(),
        version: l.version,
        counted_out: l.counted_out_at.is_some(),
        counted_back: l.count.is_some(),
        form: LineForm::of(l),
        errs: FormErrors::none(),
        clashes: Vec::new(),
        count: CountForm { returned: i.quantity.to_string(), ..Default::default() },
        count_errs: FormErrors::none(),
    }
}

/// The page, with the form just sent (if any) as typed, a notice over it, and a status.
pub(super) async fn render(
    s: &AppState,
    cx: &Cx,
    id: ReceptionId,
    sent: Sent,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let tr = cx.tr();
    let tz = s.tz();
    let viewer = receptions::viewer_of(&s.app, cx.user()?).await?;
    let list = resources::item_list(&s.app, &viewer, id).await?;
    let r = &list.reception;
    let c = Chrome::new(cx);
    let taken_on = r.state.is_under_way() || r.state == RState::Closed;
    let editable = list.editable && r.state.is_under_way();
    let people = active_people(s).await?;
    let bookings = resources::bookings_of(&s.app, &viewer, id)
        .await?
        .into_iter()
        .map(|v| booking_row(tr, s, &c, v, &people))
        .collect();
    let (to_count_out, to_count_back) = (list.to_count_out(), list.to_count_back());
    let mut lines: Vec<LineRow> = list.lines.into_iter().map(|v| line_row(tr, s, v)).collect();
    let start = resources::midnight(&s.app, r.visit_start);
    let mut booking = BookingForm {
        starts_at: local_input(tz, start + chrono::Duration::hours(9)),
        ends_at: local_input(tz, start + chrono::Duration::hours(18)),
        purpose: Purpose::Other.as_str().to_owned(),
        ..Default::default()
    };
    let (mut booking_errs, mut booking_clashes) = (FormErrors::none(), Vec::new());
    let mut new_line =
        LineForm { quantity: "1".to_owned(), source: ItemSource::Stock.as_str().to_owned(), ..Default::default() };
    let (mut new_errs, mut new_clashes) = (FormErrors::none(), Vec::new());
    let (mut found, mut found_errs) = (FoundForm::default(), FormErrors::none());
    let mut sent_return = None;
    match sent {
        Sent::Nothing => {}
        Sent::Line(None, f, e, cl) => (new_line, new_errs, new_clashes) = (f, e, clash_rows(tr, tz, c.today, &cl)),
        Sent::Line(Some(line), f, e, cl) => {
            if let Some(row) = lines.iter_mut().find(|l| l.id == line) {
                (row.form, row.errs, row.clashes) = (f, e, clash_rows(tr, tz, c.today, &cl));
            }
        }
        Sent::Count(line, f, e) => {
            if let Some(row) = lines.iter_mut().find(|l| l.id == line) {
                (row.count, row.count_errs) = (f, e);
            }
        }
        Sent::Booking(f, e, cl) => (booking, booking_errs, booking_clashes) = (f, e, clash_rows(tr, tz, c.today, &cl)),
        Sent::Found(f, e) => (found, found_errs) = (f, e),
        Sent::Return(item, f, e) => sent_return = Some((item, f, e)),
    }
    let lost = lost_rows(s, tr, c.today, resources::lost_found_of(&s.app, &viewer, id).await?, "", sent_return).await?;
    let (mut rooms, mut vehicles, mut stock) = (Vec::new(), Vec::new(), Vec::new());
    if editable {
        rooms = resources::rooms(&s.app)
            .await?
            .into_iter()
            .filter(|x| x.room.active)
            .map(|x| (format!("room:{}", x.id), format!("{} ({})", x.room.name, x.room.capacity)))
            .collect();
        vehicles = resources::vehicles(&s.app)
            .await?
            .into_iter()
            .filter(|v| v.vehicle.active)
            .map(|v| {
                (format!("vehicle:{}", v.id), format!("{} {} ({})", v.vehicle.model, v.vehicle.plate, v.vehicle.seats))
            })
            .collect();
        stock = resources::stock(&s.app)
            .await?
            .into_iter()
            .filter(|x| x.item.item.active)
            .map(|x| {
                let i = &x.item.item;
                let on_hand = tr.t_with("items.on_hand", &[("value", &i.on_hand.to_string())]);
                (x.item.id.to_string(), format!("{} · {} ({}) · {on_hand}", i.category, i.name, i.unit))
            })
            .collect();
    }
    let dates = c.dates(&r.visit_start, &r.visit_end);
    let mut res = page(&ItemsPage {
        c,
        id,
        code: r.code.clone(),
        organization: r.form.guest_organization.clone(),
        dates,
        taken_on,
        editable,
        notice,
        bookings,
        booking,
        booking_errs,
        booking_clashes,
        rooms,
        vehicles,
        people,
        purposes: Purpose::all().iter().map(|p| (p.as_str(), purpose_key(*p))).collect(),
        lines,
        new_line,
        new_errs,
        new_clashes,
        stock,
        sources: ItemSource::all().iter().map(|x| (x.as_str(), source_key(*x))).collect(),
        to_count_out,
        to_count_back,
        lost,
        found,
        found_errs,
        means: means_options(),
        manages: list.editable,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /receptions/{id}/items`.
pub async fn items_page(State(s): State<AppState>, cx: Cx, Id(id): Id<ReceptionId>) -> AppResult<Response> {
    render(&s, &cx, id, Sent::Nothing, None, StatusCode::OK).await
}
