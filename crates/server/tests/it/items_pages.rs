//! A reception's items and bookings on pages: the item list (Attachment 3) counted out and
//! back through forms, bookings over a clash with a reason, lost property recorded and
//! returned, the A4 sheet and its workbook, and what a requester may only read.

use serde_json::Value;

use crate::day::{taken_on_today, today};
use crate::harness::{TestApp, browser, each_engine, form_fields, page_csrf, set_field, sign_in, text_of};
use crate::receptions::{api, visit_day, whole_form};
use crate::resources::furnish;

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let res = b.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts a form; answers the status, where it leads and the page it shows.
async fn post(app: &TestApp, b: &reqwest::Client, path: &str, fields: &[(String, String)]) -> (u16, String, String) {
    let res = b.post(app.url(path)).form(fields).send().await.unwrap();
    let status = res.status().as_u16();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, to, res.text().await.unwrap())
}

/// The 序号 of the lines as the page lists them.
fn positions(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("tbody.item-line > tr:first-child > td:first-child").unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

fn line<'a>(items: &'a Value, name: &str) -> &'a Value {
    items["items"].as_array().unwrap().iter().find(|l| l["name"] == name).unwrap_or_else(|| panic!("{name}: {items}"))
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {name}: {fields:?}"))
}

#[tokio::test]
async fn items_pages_count_the_list_out_and_back_line_by_line_against_the_stock() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let driver = app.user("driver1", &["staff"]).await;
        let (_, _, tea, _) = furnish(&gm, driver.id.get()).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let (_, items) = gm.get(&format!("{path}/items")).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let (_, show) = page(&app, &b, &format!("/receptions/{}", r["id"])).await;
        assert!(text_of(&show, "#open-items").is_some(), "the reception leads to its items");

        // The generated lines in the paper's order, each with its source; the proposed bookings.
        let here = format!("/receptions/{}/items", r["id"]);
        let (s, html) = page(&app, &b, &here).await;
        assert_eq!(s, 200, "{html}");
        let expected: Vec<String> =
            items["items"].as_array().unwrap().iter().map(|l| l["position"].to_string()).collect();
        assert!(expected.len() > 3, "{items}");
        assert_eq!(positions(&html), expected, "in 序号 order");
        let tea_line = line(&items, "茶具");
        let row = text_of(&html, &format!("#line-{}", tea_line["id"])).unwrap();
        assert!(
            row.contains("茶具") && row.contains("库存") && row.contains("在库 12") && row.contains("已预留"),
            "{row}"
        );
        let projector = text_of(&html, &format!("#line-{}", line(&items, "投影仪")["id"])).unwrap();
        assert!(projector.contains("租借"), "nothing in stock: rented: {projector}");
        let bookings = text_of(&html, "#bookings").unwrap();
        for word in ["一号会议室", "会议", "接站", "机动备用", "别克 GL8", driver.display_name.as_str()]
        {
            assert!(bookings.contains(word), "{word} missing: {bookings}");
        }
        let lost = text_of(&html, "#lost-property").unwrap();
        assert!(lost.contains("无遗留物品"), "{lost}");

        // Ticked on the day (检查), with one tap.
        let tick = form_fields(&html, &format!("#line-{} form.tick-form", tea_line["id"]));
        let (s, to, _) = post(&app, &b, &format!("{here}/{}", tea_line["id"]), &tick).await;
        assert_eq!((s, to), (303, format!("{here}#line-{}", tea_line["id"])));
        let (_, after) = gm.get(&format!("{path}/items")).await;
        assert_eq!(line(&after, "茶具")["checked"], true, "{after}");
        // The same tap again holds the old version: told, not overwritten.
        let (s, _, html) = post(&app, &b, &format!("{here}/{}", tea_line["id"]), &tick).await;
        assert_eq!(s, 409);
        assert!(text_of(&html, "#items-notice").unwrap().contains("已被他人修改"), "{html}");

        // Counted out all at once: the stock on hand goes down.
        let (_, html) = page(&app, &b, &here).await;
        let fields = form_fields(&html, "#count-out");
        let (s, to, _) = post(&app, &b, &format!("{here}/count-out"), &fields).await;
        assert_eq!((s, to), (303, format!("{here}#item-list")));
        let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        assert_eq!(t["on_hand"], 8, "{t}");
        let (_, html) = page(&app, &b, &here).await;
        assert!(text_of(&html, "#count-out").is_none(), "nothing left to count out");
        assert!(text_of(&html, &format!("#line-{}", tea_line["id"])).unwrap().contains("已领出"));

        // Counted back: a count that does not add up is shown with its values kept.
        let form = format!("#line-{} form.count-form", tea_line["id"]);
        let mut count = form_fields(&html, &form);
        assert_eq!(field(&count, "returned"), "4", "prefilled with the quantity");
        assert!(count.iter().all(|(n, _)| n != "write_off"), "no write-off once counted out");
        set_field(&mut count, "returned", "2");
        set_field(&mut count, "lost", "1");
        let back = format!("{here}/{}/count-back", tea_line["id"]);
        let (s, _, html) = post(&app, &b, &back, &count).await;
        assert_eq!(s, 422, "{html}");
        let row = text_of(&html, &format!("#line-{}", tea_line["id"])).unwrap();
        assert!(row.contains("必须等于该行数量") || row.contains("add up"), "{row}");
        let kept = form_fields(&html, &form);
        assert_eq!((field(&kept, "returned"), field(&kept, "lost")), ("2", "1"));
        set_field(&mut count, "returned", "3");
        set_field(&mut count, "lost", "0");
        set_field(&mut count, "damaged", "1");
        set_field(&mut count, "note", "一只茶杯摔碎");
        let (s, to, _) = post(&app, &b, &back, &count).await;
        assert_eq!((s, to), (303, format!("{here}#line-{}", tea_line["id"])));
        let (_, t) = gm.get(&format!("/api/v1/stock/{tea}")).await;
        assert_eq!(t["on_hand"], 11, "the three that came back are on hand: {t}");
        let (_, html) = page(&app, &b, &here).await;
        let row = text_of(&html, &format!("#line-{}", tea_line["id"])).unwrap();
        assert!(row.contains("已清点归还") && row.contains("归还 3") && row.contains("损坏 1"), "{row}");
        assert!(text_of(&html, &format!("#line-{} form.count-form", tea_line["id"])).is_none(), "once");

        // On paper (Attachment 3): its columns, the meeting's time and place, the lines.
        let (s, html) = page(&app, &b, &format!("{here}/print")).await;
        assert_eq!(s, 200);
        let sheet = text_of(&html, "article.sheet").unwrap();
        for word in [
            "物品清单表",
            "序号",
            "分类",
            "名称",
            "数量",
            "负责人",
            "归还与否",
            "检查",
            "备注",
            "会议时间",
            "会议地点",
            "茶具",
            "投影仪",
        ] {
            assert!(sheet.contains(word), "{word} missing: {sheet}");
        }
        assert!(text_of(&html, "#meeting-place").unwrap().contains("一号会议室"), "the booked room");
        assert!(text_of(&html, "#meeting-time").unwrap().contains("09:00"), "the room's booking");
        assert!(sheet.contains(r["code"].as_str().unwrap()));
        // And as a workbook: A4 portrait, the same columns, a row for each line.
        let res = b.get(app.url(&format!("/receptions/{}/items.xlsx", r["id"]))).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
        let bytes = res.bytes().await.unwrap();
        let (rows, xml, _, _) = crate::paper::read_xlsx(&bytes);
        let header: Vec<String> = rows[4].iter().map(|c| c.to_string()).collect();
        assert_eq!(header, ["序号", "分类", "名称", "数量", "负责人", "归还与否", "检查", "备注"]);
        let tea_row = rows.iter().find(|r| r.iter().any(|c| *c == "茶具")).expect("the tea sets' row");
        assert_eq!(tea_row[3].to_string(), "4", "the quantity a number");
        assert!(tea_row[5].to_string().contains("归还 3"), "{tea_row:?}");
        assert_eq!(rows.len(), 5 + expected.len(), "a row for each line");
        assert!(xml.contains("paperSize=\"9\"") && xml.contains("orientation=\"portrait\""), "A4 portrait: {xml}");
        assert!(xml.contains("fitToHeight=\"0\""), "one page wide");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_booking_over_a_clash_names_the_other_reception_and_takes_a_reason() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let driver = app.user("driver1", &["staff"]).await;
        let (room, _, tea, _) = furnish(&gm, driver.id.get()).await;
        let (r1, _) = taken_on_today(&app, &host).await;
        let (r2, path2) = taken_on_today(&app, &host).await;
        let code1 = r1["code"].as_str().unwrap();
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let here = format!("/receptions/{}/items", r2["id"]);
        let (_, html) = page(&app, &b, &here).await;
        let mut fields = form_fields(&html, "#add-booking form");
        set_field(&mut fields, "resource", &format!("room:{room}"));
        set_field(&mut fields, "starts_at", &format!("{}T10:00", today()));
        set_field(&mut fields, "ends_at", &format!("{}T11:30", today()));
        set_field(&mut fields, "purpose", "meeting");
        let (s, _, html) = post(&app, &b, &format!("/receptions/{}/bookings", r2["id"]), &fields).await;
        assert_eq!(s, 409, "{html}");
        let form = text_of(&html, "#add-booking").unwrap();
        assert!(form.contains(code1) && form.contains("09:00") && form.contains("18:00"), "{form}");
        let kept = form_fields(&html, "#add-booking form");
        assert_eq!(
            (field(&kept, "resource"), field(&kept, "starts_at")),
            (format!("room:{room}").as_str(), format!("{}T10:00", today()).as_str())
        );
        // With a reason it is booked, and the clash stays in sight.
        let mut fields = kept.clone();
        set_field(&mut fields, "override_reason", "总经理接见，两组合用");
        let (s, to, _) = post(&app, &b, &format!("/receptions/{}/bookings", r2["id"]), &fields).await;
        assert_eq!((s, to), (303, format!("{here}#bookings")));
        let (_, list) = gm.get(&format!("{path2}/bookings")).await;
        let over = list["items"].as_array().unwrap().iter().find(|x| x["override_reason"] != "").expect("booked over");
        assert_eq!(over["resource_id"].as_i64(), Some(room));
        let (_, html) = page(&app, &b, &here).await;
        let row = text_of(&html, &format!("#booking-{}", over["id"])).unwrap();
        assert!(row.contains(code1) && row.contains("总经理接见"), "{row}");
        // Cancelled from its row.
        let cancel = form_fields(&html, &format!("#booking-{} form", over["id"]));
        let (s, _, _) =
            post(&app, &b, &format!("/receptions/{}/bookings/{}/delete", r2["id"], over["id"]), &cancel).await;
        assert_eq!(s, 303);
        let (_, list) = gm.get(&format!("{path2}/bookings")).await;
        assert!(list["items"].as_array().unwrap().iter().all(|x| x["id"] != over["id"]), "{list}");

        // More tea sets than are free: the receptions holding them are named.
        let mut add = form_fields(&html, "#add-line form");
        for (k, v) in [("category", "茶水"), ("name", "茶具"), ("quantity", "10"), ("source", "stock")] {
            set_field(&mut add, k, v);
        }
        set_field(&mut add, "stock_item_id", &tea.to_string());
        let (s, _, html) = post(&app, &b, &here, &add).await;
        assert_eq!(s, 409, "{html}");
        let form = text_of(&html, "#add-line").unwrap();
        assert!(form.contains(code1) && form.contains("预留 4"), "{form}");
        set_field(&mut add, "quantity", "4");
        let (s, to, _) = post(&app, &b, &here, &add).await;
        assert_eq!(s, 303, "what is free can be reserved");
        assert!(to.starts_with(&format!("{here}#line-")), "{to}");
        // Never used: written off with a note, nothing counted.
        let added = to.rsplit("#line-").next().unwrap().to_owned();
        let (_, html) = page(&app, &b, &here).await;
        let mut off = form_fields(&html, &format!("#line-{added} form.count-form"));
        assert!(off.iter().all(|(n, _)| n != "returned"), "nothing to count before counting out: {off:?}");
        set_field(&mut off, "write_off", "1");
        let back = format!("{here}/{added}/count-back");
        let (s, _, html) = post(&app, &b, &back, &off).await;
        assert_eq!(s, 422, "a write-off says why");
        assert!(text_of(&html, &format!("#line-{added}")).unwrap().contains("必填"), "{html}");
        set_field(&mut off, "note", "客户自带茶具");
        let (s, _, _) = post(&app, &b, &back, &off).await;
        assert_eq!(s, 303);
        let (_, items) = gm.get(&format!("{path2}/items")).await;
        let l =
            items["items"].as_array().unwrap().iter().find(|l| l["id"].as_i64() == added.parse::<i64>().ok()).unwrap();
        assert_eq!((l["written_off"].as_bool(), l["counted_out_at"].as_str()), (Some(true), None), "{l}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn lost_property_is_recorded_on_the_reception_and_returned_from_the_lost_found_page() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let (r, path) = taken_on_today(&app, &host).await;
        let gm = api(&app, &host.coordinator).await;
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let (_, html) = page(&app, &b, "/lost-found").await;
        assert!(text_of(&html, "#lost-empty").is_some(), "nothing waiting: {html}");
        assert!(text_of(&html, "nav").unwrap().contains("遗留物品"), "in the navigation");

        let here = format!("/receptions/{}/items", r["id"]);
        let (_, html) = page(&app, &b, &here).await;
        let mut found = form_fields(&html, "#add-found form");
        set_field(&mut found, "found_where", "一号会议室");
        set_field(&mut found, "kept_at", "前台");
        let (s, _, html) = post(&app, &b, &format!("/receptions/{}/lost-found", r["id"]), &found).await;
        assert_eq!(s, 422, "what it is, required");
        assert!(text_of(&html, "#add-found").unwrap().contains("必填"), "{html}");
        assert_eq!(field(&form_fields(&html, "#add-found form"), "kept_at"), "前台", "kept as typed");
        set_field(&mut found, "what", "黑色雨伞");
        let (s, to, _) = post(&app, &b, &format!("/receptions/{}/lost-found", r["id"]), &found).await;
        assert_eq!((s, to), (303, format!("{here}#lost-property")));
        let (_, list) = gm.get(&format!("{path}/lost-found")).await;
        let id = list["items"][0]["id"].clone();

        // Told on the reception's own page while open.
        let (_, show) = page(&app, &b, &format!("/receptions/{}", r["id"])).await;
        assert!(text_of(&show, "#lost-open").is_some_and(|t| t.contains('1')), "on the reception");

        // Listed on /lost-found while open, with its reception.
        let (_, html) = page(&app, &b, "/lost-found").await;
        let row = text_of(&html, &format!("#lost-{id}")).unwrap();
        assert!(row.contains("黑色雨伞") && row.contains(r["code"].as_str().unwrap()) && row.contains("前台"), "{row}");
        let mut ret = form_fields(&html, &format!("#return-{id}"));
        assert!(!field(&ret, "returned_at").is_empty(), "now by default");
        set_field(&mut ret, "returned_to", "李明");
        set_field(&mut ret, "means", "courier");
        let (s, _, html) = post(&app, &b, &format!("/lost-found/{id}/return"), &ret).await;
        assert_eq!(s, 422, "a courier needs its tracking number");
        let kept = form_fields(&html, &format!("#return-{id}"));
        assert_eq!((field(&kept, "returned_to"), field(&kept, "means")), ("李明", "courier"));
        set_field(&mut ret, "tracking", "SF1234567890");
        let (s, to, _) = post(&app, &b, &format!("/lost-found/{id}/return"), &ret).await;
        assert_eq!((s, to.as_str()), (303, "/lost-found"));
        let (_, show) = page(&app, &b, &format!("/receptions/{}", r["id"])).await;
        assert!(text_of(&show, "#lost-open").is_none(), "no longer told once returned");
        let (_, html) = page(&app, &b, "/lost-found").await;
        assert!(
            text_of(&html, &format!("#lost-{id}")).is_none() && text_of(&html, "#lost-empty").is_some(),
            "gone back"
        );
        let (_, html) = page(&app, &b, "/lost-found?returned=1").await;
        let row = text_of(&html, &format!("#lost-{id}")).unwrap();
        assert!(row.contains("已归还") && row.contains("快递寄回") && row.contains("SF1234567890"), "{row}");
        let (_, html) = page(&app, &b, &here).await;
        let row = text_of(&html, &format!("#lost-{id}")).unwrap();
        assert!(row.contains("已归还") && row.contains("李明"), "{row}");
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_requester_reads_the_items_page_without_forms_and_may_not_post_one() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let req = api(&app, &host.requester).await;
        let (_, draft) = req.post("/api/v1/receptions", whole_form(visit_day(14))).await;
        let (r, path) = taken_on_today(&app, &host).await;
        let b = browser();
        sign_in(&app, &b, &host.requester.username).await;
        let (s, html) = page(&app, &b, &format!("/receptions/{}/items", draft["id"])).await;
        assert_eq!(s, 200);
        assert!(text_of(&html, "#items-not-taken-on").is_some(), "no list before take-on: {html}");

        let here = format!("/receptions/{}/items", r["id"]);
        let (s, html) = page(&app, &b, &here).await;
        assert_eq!(s, 200);
        assert!(!positions(&html).is_empty(), "the list is there to read");
        for form in ["#count-out", "#add-booking", "#add-line", "#add-found", "form.tick-form", "form.count-form"] {
            assert!(text_of(&html, form).is_none(), "{form} is General Management's");
        }
        let (_, nav) = page(&app, &b, "/").await;
        assert!(!text_of(&nav, "nav").unwrap().contains("遗留物品"));
        let csrf = page_csrf(&app, &b, &here).await;
        let fields = vec![("csrf".to_owned(), csrf)];
        let (s, _, _) = post(&app, &b, &format!("{here}/count-out"), &fields).await;
        assert_eq!(s, 403);
        let (s, _, _) = post(&app, &b, &here, &fields).await;
        assert_eq!(s, 403, "adding a line");
        let (s, _) = page(&app, &b, "/lost-found").await;
        assert_eq!(s, 403);
        let (_, items) = api(&app, &host.coordinator).await.get(&format!("{path}/items")).await;
        assert!(items["items"].as_array().unwrap().iter().all(|l| l["counted_out_at"].is_null()), "nothing moved");
        app.stop().await;
    })
    .await;
}
