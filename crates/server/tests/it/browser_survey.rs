//! A Chromium journey of a guest answering the satisfaction survey on a phone, without an
//! account: one score too high is told next to its item, fixed, and the answer lands once.

use fantoccini::Locator;

use crate::browser::{click, connect, shown, start_driver};
use crate::harness::{Engine, TestApp};

#[tokio::test]
async fn a_guest_answers_the_survey_on_a_phone_without_an_account_in_chromium() {
    let Some((_driver, port)) = start_driver() else {
        return;
    };
    let app = TestApp::start(Engine::Sqlite).await;
    let host = app.host_department("市场部").await;
    let gm = crate::receptions::api(&app, &host.coordinator).await;
    let (_, path) = crate::day::taken_on_today(&app, &host).await;
    let link = crate::survey::link_of(&gm, &path).await;
    let token = link["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let keys = crate::survey::item_keys();

    let b = connect(port).await;
    b.set_window_size(390, 844).await.unwrap();
    b.goto(&app.url(&format!("/s/{token}?lang=en"))).await.unwrap();
    b.wait().for_element(Locator::Id("survey-form")).await.unwrap();
    assert!(b.find(Locator::Css(".user-menu")).await.is_err(), "nobody is signed in");
    // The score inputs are large enough to tap.
    let h: f64 = b
        .execute("return document.querySelector('.survey-score').getBoundingClientRect().height;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(h >= 44.0, "a score's input is {h}px high");

    // Switch to Chinese and back: the switch keeps the guest on the survey.
    click(&b, "#lang-zh").await;
    b.wait().for_element(Locator::Id("survey-form")).await.unwrap();
    assert!(b.source().await.unwrap().contains("接待满意度调查表"));
    click(&b, "#lang-en").await;
    b.wait().for_element(Locator::Id("survey-form")).await.unwrap();

    for (i, k) in keys.iter().enumerate() {
        let v = if i == 0 { "12" } else { "9" };
        let el = b.find(Locator::Id(&format!("score-{k}"))).await.unwrap();
        b.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&el).unwrap()])
            .await
            .unwrap();
        el.send_keys(v).await.unwrap();
    }
    b.find(Locator::Id("comment")).await.unwrap().send_keys("Everything went smoothly").await.unwrap();
    let submit = b.find(Locator::Id("survey-submit")).await.unwrap();
    b.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&submit).unwrap()])
        .await
        .unwrap();
    submit.click().await.unwrap();
    let told = shown(&b, &format!("#item-{} .field-error", keys[0]), true).await;
    assert!(told.contains("10"), "the reference is named: {told}");
    let kept = b.find(Locator::Id("comment")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Everything went smoothly"), "nothing typed is lost");

    let first = b.find(Locator::Id(&format!("score-{}", keys[0]))).await.unwrap();
    first.clear().await.unwrap();
    first.send_keys("10").await.unwrap();
    let submit = b.find(Locator::Id("survey-submit")).await.unwrap();
    b.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&submit).unwrap()])
        .await
        .unwrap();
    submit.click().await.unwrap();
    b.wait().for_element(Locator::Id("survey-thanks")).await.unwrap();

    let (_, res) = gm.get(&format!("{path}/survey")).await;
    assert_eq!(res["responses"], 1, "{res}");
    assert_eq!(res["total"].as_f64(), Some(91.0), "{res}");
    b.close().await.unwrap();
}
