//! What follows from a request as written: its headcount and recommended budget, the
//! arrangements it asks for (which decide the procedure's tasks and items), the form without
//! guests' personal data, and the form as stored (trimmed, plate and train numbers written
//! as on the plate or ticket, blank rows dropped).

use super::ReceptionForm;
use super::form::Person;
use crate::money::Fen;
use crate::procedure::Procedure;

impl ReceptionForm {
    /// Number of guests: the principal guest, the companions and the support staff.
    pub fn headcount(&self) -> u32 {
        let companions = self.companion_count.max(self.companions.len() as u32);
        1u32.saturating_add(companions).saturating_add(u32::try_from(self.support_staff.len()).unwrap_or(u32::MAX))
    }

    /// The budget split as the procedure means it: the tier's standard covers the
    /// reception service (fruit, tea, the meeting, gifts…), not the hotel or the meals,
    /// which have budgets of their own on the form. `None` without a total budget.
    pub fn budget_breakdown(&self, procedure: &Procedure) -> Option<BudgetBreakdown> {
        let total = self.budget_fen?.get();
        let part = |b: Option<Fen>, wanted: bool| if wanted { b.map_or(0, Fen::get) } else { 0 };
        let hotel = part(self.hotel.budget_fen, self.hotel.wanted);
        let meals = [&self.lunch, &self.dinner, &self.entertainment]
            .iter()
            .fold(0i64, |sum, b| sum.saturating_add(part(b.budget_fen, b.wanted)));
        let service = total.saturating_sub(hotel).saturating_sub(meals);
        Some(BudgetBreakdown {
            total: Fen::new(total),
            hotel: Fen::new(hotel),
            meals: Fen::new(meals),
            service: Fen::new(service),
            standard: self.recommended_budget(procedure),
        })
    }

    /// The recommended budget: the tier's standard per person (in force on the visit's
    /// first day, under the given procedure) times the headcount.
    pub fn recommended_budget(&self, procedure: &Procedure) -> Option<Fen> {
        let t = procedure.tier_on(self.tier?, self.visit_start?)?;
        t.standard_per_person.checked_mul(i64::from(self.headcount()))
    }

    /// True when the request asks for the arrangement a task or item depends on (see
    /// [`CONDITION_FIELDS`](crate::procedure::CONDITION_FIELDS)).
    pub fn asks_for(&self, field: &str) -> bool {
        let m = &self.meeting_room;
        match field {
            "pickup_car" => self.pickup_car.wanted,
            "train_tickets" => self.train_tickets.wanted,
            "hotel" => self.hotel.wanted,
            "lunch" => self.lunch.wanted,
            "dinner" => self.dinner.wanted,
            "entertainment" => self.entertainment.wanted,
            "parking" => self.parking,
            "red_carpet" => self.red_carpet,
            "welcome_message" => self.welcome_message,
            "fruit" => self.fruit.is_some(),
            "tea" => self.tea.any(),
            "meeting_room" => m.wanted,
            "computer" => m.wanted && m.computer,
            "paper" => m.wanted && m.paper,
            "pencils" => m.wanted && m.pencils,
            "pens" => m.wanted && m.pens,
            "projector" => m.wanted && m.projector,
            "clicker" => m.wanted && m.clicker,
            "meals" => self.meals,
            "gifts" => self.gifts.is_some(),
            "leader_appointment" => self.leader_appointment,
            _ => false,
        }
    }

    /// The form's inputs that hold guests' personal data (as the API names them; the rows'
    /// `phone` and `needs` columns besides): only the host department and General
    /// Management see them.
    pub const PERSONAL_INPUTS: [&'static str; 5] =
        ["guest_phone", "guest_needs", "licence_plate", "transport_number", "train_tickets.train_number"];

    /// The row columns of companions and support staff that hold personal data.
    pub const PERSONAL_ROW_COLUMNS: [&'static str; 2] = ["phone", "needs"];

    /// The form without guests' personal data (phones, plate, transport and train numbers,
    /// special needs), for readers who do not need it.
    pub fn without_personal_data(&self) -> ReceptionForm {
        let mut f = self.clone();
        f.guest_phone.clear();
        f.guest_needs.clear();
        f.licence_plate.clear();
        f.transport_number.clear();
        f.train_tickets.train_number.clear();
        for p in f.companions.iter_mut().chain(f.support_staff.iter_mut()) {
            p.phone.clear();
            p.needs.clear();
        }
        f
    }

    /// Trims texts and normalises the plate, as stored.
    pub fn normalize(&mut self) {
        for s in [
            &mut self.contact_person,
            &mut self.contact_phone,
            &mut self.guest_organization,
            &mut self.purpose,
            &mut self.transport_number,
            &mut self.guest_name,
            &mut self.guest_title,
            &mut self.guest_phone,
            &mut self.guest_needs,
            &mut self.gm_contact,
            &mut self.welcome_text,
            &mut self.leader_name,
            &mut self.other_material,
            &mut self.pickup_car.vehicle,
            &mut self.pickup_car.place,
            &mut self.train_tickets.train_number,
            &mut self.hotel.hotel,
            &mut self.hotel.rooms,
            &mut self.hotel.contact,
            &mut self.meeting_room.room,
        ] {
            *s = s.trim().to_owned();
        }
        for b in [&mut self.lunch, &mut self.dinner, &mut self.entertainment] {
            b.place = b.place.trim().to_owned();
            b.contact = b.contact.trim().to_owned();
        }
        self.licence_plate = super::check::normalize_plate(&self.licence_plate);
        self.transport_number = self.transport_number.to_uppercase().replace(' ', "");
        self.train_tickets.train_number = self.train_tickets.train_number.to_uppercase().replace(' ', "");
        let blank = |p: &Person| p.name.trim().is_empty() && p.title.trim().is_empty() && p.phone.trim().is_empty();
        self.companions.retain(|p| !blank(p));
        self.support_staff.retain(|p| !blank(p));
        for p in self.companions.iter_mut().chain(self.support_staff.iter_mut()) {
            for s in [&mut p.name, &mut p.title, &mut p.phone, &mut p.needs] {
                *s = s.trim().to_owned();
            }
        }
        if self.visit_end.is_none() {
            self.visit_end = self.visit_start;
        }
    }
}

/// A request's budget by what it pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetBreakdown {
    /// The whole budget (预算).
    pub total: Fen,
    /// The hotel's budget, when a room is booked.
    pub hotel: Fen,
    /// Lunch, dinner and entertainment budgets, when booked.
    pub meals: Fen,
    /// What is left for the reception service (the total less hotel and meals); negative
    /// when the parts exceed the total.
    pub service: Fen,
    /// The tier's standard for the service: standard per person × headcount.
    pub standard: Option<Fen>,
}

impl BudgetBreakdown {
    /// The service costs more than the tier's standard allows.
    pub fn over_standard(&self) -> bool {
        self.standard.is_some_and(|s| self.service.get() > s.get())
    }

    /// The hotel and meal budgets add up to more than the whole budget.
    pub fn parts_exceed_total(&self) -> bool {
        self.service.get() < 0
    }
}
