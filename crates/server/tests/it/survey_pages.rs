//! The survey's pages for signed-in people: the results with their empty state, answering
//! once with every problem told, guest links with their QR codes on the reception page and
//! the run sheet, and the waiver.

use serde_json::json;

use crate::day::taken_on_today;
use crate::harness::{TestApp, browser, each_engine, page_csrf, sign_in, text_of};
use crate::receptions::api;
use crate::survey::{form_scores, item_keys};

async fn post(b: &reqwest::Client, url: String, form: &[(String, String)]) -> (u16, String) {
    let res = b.post(url).form(form).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_survey_page_shows_an_empty_state_then_the_answers_of_general_management() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let (r, _) = taken_on_today(&app, &host).await;
        let page = format!("/receptions/{}/survey", r["id"]);
        let b = browser();
        sign_in(&app, &b, &host.coordinator.username).await;
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#survey-empty").is_some(), "an empty state: {html}");
        assert!(text_of(&html, "#survey-form").is_some(), "General Management may answer");
        assert!(text_of(&html, "#waive").is_some(), "and waive");

        // A score missing and one too high: told at once, what was typed kept.
        let csrf = page_csrf(&app, &b, &page).await;
        let keys = item_keys();
        let mut form = vec![("csrf".to_owned(), csrf.clone())];
        form.extend(form_scores("8"));
        form.retain(|(k, _)| k != &format!("score.{}", keys[1]));
        form[1].1 = "15".into();
        let (s, html) = post(&b, app.url(&page), &form).await;
        assert_eq!(s, 422);
        assert!(text_of(&html, &format!("#item-{} .field-error", keys[0])).is_some(), "{html}");
        assert!(text_of(&html, &format!("#item-{} .field-error", keys[1])).is_some(), "{html}");
        assert!(html.contains("value=\"15\""), "kept");

        let mut form = vec![("csrf".to_owned(), csrf.clone())];
        form.extend(form_scores("8"));
        form.push(("comment".into(), "准备充分".into()));
        let res = b.post(app.url(&page)).form(&form).send().await.unwrap();
        assert!(res.status().is_success() || res.status().is_redirection());
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#survey-total").unwrap().contains("80.00"), "{html}");
        assert!(text_of(&html, "#survey-comments").unwrap().contains("准备充分"));
        assert!(text_of(&html, "#survey-answered").is_some(), "answered once: no second form");
    })
    .await;
}

#[tokio::test]
async fn open_guest_links_show_as_qr_codes_on_the_reception_page_and_the_run_sheet() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let (r, path) = taken_on_today(&app, &host).await;
        let b = browser();
        sign_in(&app, &b, &host.requester.username).await;
        let page = format!("/receptions/{}/survey", r["id"]);
        let csrf = page_csrf(&app, &b, &page).await;
        let html = b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(text_of(&html, "#waive").is_none(), "the host department does not waive");
        let form = vec![("csrf".to_owned(), csrf), ("language".into(), "fr".into())];
        let (s, html) = post(&b, app.url(&format!("{page}/links")), &form).await;
        assert_eq!(s, 422, "{html}");
        let mut form = form;
        form[1].1 = "en".into();
        let (s, _) = post(&b, app.url(&format!("{page}/links")), &form).await;
        assert!(s == 303 || s == 200, "{s}");
        let req = api(&app, &host.requester).await;
        let (s, e) = req.post(&format!("{path}/survey-links"), json!({"email": "not-an-address"})).await;
        assert_eq!((s, e["errors"][0]["code"].as_str()), (422, Some("invalid_email")), "{e}");

        let (_, links) = req.get(&format!("{path}/survey-links")).await;
        let url = links["items"][0]["url"].as_str().unwrap().to_owned();
        for p in [format!("/receptions/{}", r["id"]), format!("/receptions/{}/run-sheet", r["id"]), page.clone()] {
            let html = b.get(app.url(&p)).send().await.unwrap().text().await.unwrap();
            assert!(html.contains("<svg class=\"qr\""), "a QR code on {p}");
            assert!(html.contains(&url), "its address written under it on {p}");
        }

        // Withdrawn: no QR code any more.
        let (s, _) = api(&app, &host.coordinator)
            .await
            .delete(&format!("{path}/survey-links/{}", links["items"][0]["id"]))
            .await;
        assert_eq!(s, 204);
        let html = b.get(app.url(&format!("/receptions/{}", r["id"]))).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("<svg class=\"qr\""));
        let (s, e) = api(&app, &host.coordinator).await.post(&format!("{path}/survey/waive"), json!({})).await;
        assert_eq!(s, 422, "{e}");
    })
    .await;
}
