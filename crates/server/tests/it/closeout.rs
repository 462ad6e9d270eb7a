//! The whole close-out to `closed`: closing tells at once what the settlement, the survey
//! and the review still lack; once finance approved the money, someone answered the survey
//! and the minutes are recorded, the reception closes, and the reports count it.

use serde_json::{Value, json};

use crate::day::{taken_on_today, today};
use crate::harness::{HostDepartment, TestApp, each_engine};
use crate::receptions::{Api, api};

/// Every survey item scored `n`.
pub fn scores(n: i64) -> Value {
    Value::Object(crate::survey::item_keys().into_iter().map(|k| (k, json!(n))).collect())
}

/// Settles a reception's money (a dinner of `dinner_fen`, approved by a finance user of the
/// test), answers its survey as General Management (every item `score`) and records its
/// review minutes: what closing needs beyond tasks and material.
pub async fn close_out(app: &TestApp, host: &HostDepartment, path: &str, dinner_fen: i64, score: i64) {
    settle_and_answer(app, host, path, dinner_fen, score).await;
    let gm = api(app, &host.coordinator).await;
    let (s, r) = gm.put(&format!("{path}/review"), crate::review::minutes(0, &[host.coordinator.id.get()])).await;
    assert_eq!(s, 200, "{r}");
}

/// The settlement approved and the survey answered (the close-out without the minutes).
pub async fn settle_and_answer(app: &TestApp, host: &HostDepartment, path: &str, dinner_fen: i64, score: i64) {
    let gm = api(app, &host.coordinator).await;
    let (s, e) = gm
        .post(
            &format!("{path}/expenses"),
            json!({"category": "dinner", "amount_fen": dinner_fen, "date": today(), "paid_by": "company", "vendor": "老正兴"}),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let (_, st) = gm.get(&format!("{path}/settlement")).await;
    let (s, st) = gm.post(&format!("{path}/settlement/submit"), json!({"version": st["version"]})).await;
    assert_eq!(s, 200, "{st}");
    let finance = app.user_once("closeout-finance", &["finance"]).await;
    let (s, st) =
        api(app, &finance).await.post(&format!("{path}/settlement/approve"), json!({"version": st["version"]})).await;
    assert_eq!((s, st["state"].as_str()), (200, Some("approved")), "{st}");
    let (s, r) = gm.post(&format!("{path}/survey/responses"), json!({"scores": scores(score)})).await;
    assert_eq!(s, 201, "{r}");
}

/// Finishes every task and counts the material back.
async fn settle_tasks_and_material(gm: &Api<'_>, path: &str) {
    let (_, list) = gm.get(&format!("{path}/tasks")).await;
    for t in list["items"].as_array().unwrap() {
        let (s, e) = gm.post(&format!("/api/v1/tasks/{}/done", t["id"]), json!({})).await;
        assert_eq!(s, 200, "{e}");
    }
    crate::resources::count_back_the_rest(gm, path).await;
}

#[tokio::test]
async fn a_reception_closes_once_its_money_is_approved_its_survey_answered_and_its_minutes_recorded() {
    each_engine(|app: TestApp| async move {
        let host = app.host_department("市场部").await;
        let gm = api(&app, &host.coordinator).await;
        let (_, path) = taken_on_today(&app, &host).await;
        let (s, r) = gm.post(&format!("{path}/open-day"), json!({})).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = gm.post(&format!("{path}/wrap-up"), json!({})).await;
        assert_eq!(s, 200, "{r}");
        settle_tasks_and_material(&gm, &path).await;

        // Everything the close-out lacks, told at once.
        let (s, e) = gm.post(&format!("{path}/close"), json!({})).await;
        assert_eq!(s, 422, "{e}");
        let codes: Vec<&str> = e["errors"].as_array().unwrap().iter().filter_map(|e| e["code"].as_str()).collect();
        assert_eq!(codes, ["settlement_not_approved", "survey_missing", "review_missing"], "{e}");

        // The whole form's dinner budget is 1,200 yuan: 1,500 runs 25 % over.
        close_out(&app, &host, &path, 150_000, 8).await;
        let (s, r) = gm.post(&format!("{path}/close"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("closed")), "{r}");

        // The reports count its money against its budget, its survey and its minutes' actions.
        let (s, sum) = gm.get("/api/v1/reports/summary").await;
        assert_eq!(s, 200, "{sum}");
        assert_eq!(sum["spend"]["settled"], 1, "{sum}");
        assert_eq!(sum["spend"]["actual_fen"], 150_000, "{sum}");
        let tier = &sum["spend"]["by_tier"][0];
        assert_eq!((tier["tier"].as_str(), tier["guests"].as_i64()), (Some("business"), Some(4)), "{sum}");
        assert_eq!(tier["per_guest_fen"], 37_500, "{sum}");
        assert_eq!(tier["standard_per_person_fen"], 8_000, "{sum}");
        assert_eq!(sum["satisfaction"]["responses"], 1, "{sum}");
        assert_eq!(sum["satisfaction"]["total_hundredths"], 8_000, "{sum}");
        assert_eq!(sum["satisfaction"]["items"][0]["average_hundredths"], 800, "{sum}");
        let month = today().format("%Y-%m").to_string();
        let m = sum["satisfaction"]["by_month"].as_array().unwrap().iter().find(|m| m["month"] == month.as_str()).cloned();
        assert_eq!(m.map(|m| m["responses"].clone()), Some(json!(1)), "{sum}");

        // An adjusting line after approval moves the settled cost in the reports too.
        let (s, e) = gm
            .post(
                &format!("{path}/expenses"),
                json!({"category": "other", "amount_fen": -20_000, "date": today(), "adjusting": true, "reason": "退回押金"}),
            )
            .await;
        assert_eq!(s, 201, "{e}");
        let (_, sum) = gm.get("/api/v1/reports/summary").await;
        assert_eq!(sum["spend"]["actual_fen"], 130_000, "{sum}");
        app.stop().await;
    })
    .await;
}
