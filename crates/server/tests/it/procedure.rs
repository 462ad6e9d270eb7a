//! The reception procedure: seeded from the company's document, versioned, exported and
//! imported as TOML.

use jiedai_domain::{Fen, Tier};
use serde_json::Value;

use crate::cli::jiedai;
use crate::harness::{
    TestApp, TestDb, api_client, browser, each_engine, engines, form_fields, set_field, sign_in, text_of,
};

#[tokio::test]
async fn the_procedure_in_force_is_seeded_from_the_company_document() {
    each_engine(|app| async move {
        let u = app.user("reader", &["requester"]).await;
        let token = app.token(&u).await;
        let p: Value = api_client()
            .get(app.url("/api/v1/procedure"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(p["version"], 1);
        let stages: Vec<(String, i64)> = p["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["key"].as_str().unwrap().to_owned(), s["offset_working_days"].as_i64().unwrap()))
            .collect();
        assert_eq!(stages[0], ("proposal".to_owned(), -5));
        assert_eq!(stages.last().unwrap(), &("review".to_owned(), 1));
        let tiers: Vec<(String, i64)> = p["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["key"].as_str().unwrap().to_owned(), t["standard_per_person_fen"].as_i64().unwrap()))
            .collect();
        assert_eq!(tiers, vec![("high_end".into(), 15000), ("business".into(), 8000), ("simple".into(), 5000)]);
        assert!(p["tasks"].as_array().unwrap().len() >= 9 && p["items"].as_array().unwrap().len() >= 9);
        assert_eq!(p["survey"]["total"], 100);

        let c = browser();
        sign_in(&app, &c, "reader").await;
        let html = c.get(app.url("/procedure")).send().await.unwrap().text().await.unwrap();
        assert_eq!(text_of(&html, "ol.timeline li strong").unwrap(), "接待定案");
        assert!(html.contains("¥150.00") && html.contains("T-5") && html.contains("T+1"));
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn export_and_import_make_versions_and_older_ones_stay_readable() {
    for engine in engines() {
        let db = TestDb::new(&engine).await;
        let url = db.url.clone();
        let out = jiedai(&url, &["procedure", "export"], None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let exported = String::from_utf8(out.stdout).unwrap();
        assert!(exported.starts_with("# Jiedai reception procedure, version 1"));

        let dir = tempfile::tempdir().unwrap();
        let same = dir.path().join("same.toml");
        std::fs::write(&same, &exported).unwrap();
        let out = jiedai(&url, &["procedure", "import", same.to_str().unwrap()], None);
        assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged"), "a round trip changes nothing");

        let changed = dir.path().join("changed.toml");
        std::fs::write(
            &changed,
            exported.replacen("standard_per_person_fen = 15000", "standard_per_person_fen = 16000", 1),
        )
        .unwrap();
        let out = jiedai(&url, &["procedure", "import", changed.to_str().unwrap(), "--note", "高端标准调整"], None);
        assert!(String::from_utf8_lossy(&out.stdout).contains("version 2"), "{}", String::from_utf8_lossy(&out.stderr));

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, exported.replacen("offset_working_days = -4", "offset_working_days = -9", 1)).unwrap();
        let out = jiedai(&url, &["procedure", "import", bad.to_str().unwrap()], None);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("stages[1].offset_working_days"));

        let app = TestApp::start_on(db).await;
        let u = app.user("reader2", &["finance"]).await;
        let token = app.token(&u).await;
        let c = api_client();
        let now: Value =
            c.get(app.url("/api/v1/procedure")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(
            (now["version"].as_i64(), now["tiers"][0]["standard_per_person_fen"].as_i64()),
            (Some(2), Some(16000))
        );
        assert_eq!(now["note"], "高端标准调整");
        let old: Value = c
            .get(app.url("/api/v1/procedure/versions/1"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(old["tiers"][0]["standard_per_person_fen"], 15000);
        assert_eq!(
            c.get(app.url("/api/v1/procedure/versions/9")).bearer_auth(&token).send().await.unwrap().status(),
            404
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_administrator_changes_tier_standards_and_sees_what_changed() {
    each_engine(|app| async move {
        app.user("procadmin", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, "procadmin").await;
        let html = c.get(app.url("/admin/procedure")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("value=\"150.00\""), "the form starts from the standards in force");
        let csrf = crate::harness::csrf_of(&html);
        let form = |high: &'static str, version: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("version", version.into()),
                ("effective_from", "2027-01-01".into()),
                ("high_end", high.into()),
                ("business", "80".into()),
                ("simple", "50.00".into()),
                ("note", "".into()),
            ]
        };
        let bad = c.post(app.url("/admin/procedure/tiers")).form(&form("-10", "1")).send().await.unwrap();
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert_eq!(text_of(&html, "#high_end-error").unwrap(), "金额不能为负数。");
        assert!(html.contains("value=\"-10\""), "what was typed stays");

        let ok = c.post(app.url("/admin/procedure/tiers")).form(&form("180.5", "1")).send().await.unwrap();
        assert_eq!(ok.status(), 303);
        let stale = c.post(app.url("/admin/procedure/tiers")).form(&form("190", "1")).send().await.unwrap();
        assert_eq!(stale.status(), 409, "someone read version 1 and version 2 exists");

        let v2 = app.store.current_procedure().await.unwrap().unwrap();
        assert_eq!(v2.version, 2);
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(v2.procedure.tier_on(Tier::HighEnd, day).unwrap().standard_per_person, Fen::new(18050));
        assert_eq!(
            v2.procedure.tier_on(Tier::HighEnd, day.pred_opt().unwrap()).unwrap().standard_per_person,
            Fen::new(15000)
        );
        assert_eq!(app.store.procedure_version(1).await.unwrap().procedure.tiers.len(), 3, "version 1 unchanged");

        let diff = c.get(app.url("/procedure/diff?from=1&to=2")).send().await.unwrap().text().await.unwrap();
        assert!(diff.contains("<ins>¥180.50</ins>") && diff.contains("高端 · 生效日期 2027-01-01"), "{diff}");

        let toml = v2.procedure.to_toml().replacen("reference_score = 10", "reference_score = 20", 1).replacen(
            "total = 100",
            "total = 110",
            1,
        );
        let file = reqwest::multipart::Part::text(toml).file_name("procedure.toml");
        let form =
            reqwest::multipart::Form::new().text("csrf", csrf.clone()).text("note", "调查权重").part("file", file);
        let res = c.post(app.url("/admin/procedure/import")).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let v3 = app.store.current_procedure().await.unwrap().unwrap();
        assert_eq!((v3.version, v3.procedure.survey.total, v3.note.as_str()), (3, 110, "调查权重"));

        let broken = reqwest::multipart::Part::text("stages = 1").file_name("x.toml");
        let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("file", broken);
        let res = c.post(app.url("/admin/procedure/import")).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(text_of(&res.text().await.unwrap(), "#file-error").unwrap().contains("文件格式有误"));
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn an_administrator_edits_the_task_template_row_by_row() {
    each_engine(|app| async move {
        app.user("taskadmin", &["admin"]).await;
        let c = browser();
        sign_in(&app, &c, "taskadmin").await;
        let html = c.get(app.url("/admin/procedure/tasks")).send().await.unwrap().text().await.unwrap();
        let v1 = app.store.current_procedure().await.unwrap().unwrap();
        let mut fields = form_fields(&html, "form.rows-form");
        assert!(fields.contains(&("tasks[0].item_zh".into(), v1.procedure.tasks[0].item_zh.clone())));
        let n = v1.procedure.tasks.len();

        // A bad due time, an offset that is not a number: refused, every value kept.
        set_field(&mut fields, "tasks[1].item_zh", "确认嘉宾名单");
        set_field(&mut fields, "tasks[1].due_time", "25:00");
        set_field(&mut fields, "tasks[2].due_offset_working_days", "soon");
        let res = c.post(app.url("/admin/procedure/tasks")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert_eq!(text_of(&html, "#tasks-1--due_time-error").unwrap(), "时刻写作 HH:MM，例如 09:30。");
        assert_eq!(text_of(&html, "#tasks-2--due_offset_working_days-error").unwrap(), "请填写整数。");
        assert!(html.contains("value=\"确认嘉宾名单\""), "what was typed stays");
        assert!(app.store.current_procedure().await.unwrap().unwrap().version == v1.version, "nothing saved");

        // Fixed; one row removed, one added in a blank card.
        set_field(&mut fields, "tasks[1].due_time", "16:30");
        set_field(&mut fields, "tasks[2].due_offset_working_days", "-3");
        set_field(&mut fields, "tasks[0]._remove", "on");
        let new = format!("tasks[{n}]");
        for (k, v) in [
            ("_new", "1"),
            ("phase", "on_site"),
            ("group", "driver"),
            ("item_zh", "送站"),
            ("item_en", "Drive the guests to the station"),
            ("due_offset_working_days", "0"),
            ("due_time", ""),
            ("when", "pickup_car"),
            ("duties_zh", ""),
            ("duties_en", ""),
        ] {
            set_field(&mut fields, &format!("{new}.{k}"), v);
        }
        let res = c.post(app.url("/admin/procedure/tasks")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let v2 = app.store.current_procedure().await.unwrap().unwrap();
        assert_eq!(v2.version, v1.version + 1);
        let tasks = &v2.procedure.tasks;
        assert_eq!(tasks.len(), n, "one removed, one added");
        assert_eq!(tasks[0].item_zh, "确认嘉宾名单");
        assert_eq!(tasks[0].due_time.unwrap().format("%H:%M").to_string(), "16:30");
        assert_eq!(tasks[1].due_offset_working_days, -3);
        assert_eq!((tasks[n - 1].item_zh.as_str(), tasks[n - 1].when.as_deref()), ("送站", Some("pickup_car")));
        assert_eq!(v2.procedure.stages, v1.procedure.stages, "the other lists are untouched");
        let old = app.store.procedure_version(v1.version).await.unwrap();
        assert_eq!(old.procedure.tasks, v1.procedure.tasks, "the older version stays readable as it was");

        // Someone who read the old version is told, not overwritten.
        let res = c.post(app.url("/admin/procedure/tasks")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 409);
        let audit = c.get(app.url("/admin/audit")).send().await.unwrap().text().await.unwrap();
        assert!(audit.contains("taskadmin"));

        // The survey total must still add up.
        let html = c.get(app.url("/admin/procedure/survey")).send().await.unwrap().text().await.unwrap();
        let mut fields = form_fields(&html, "form.rows-form");
        set_field(&mut fields, "survey.items[0]._remove", "on");
        let res = c.post(app.url("/admin/procedure/survey")).form(&fields).send().await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("参照分值之和（90）"));
        assert_eq!(c.get(app.url("/admin/procedure/nothing")).send().await.unwrap().status(), 404);
        app.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_api_replaces_the_procedure_as_a_whole_or_not_at_all() {
    each_engine(|app| async move {
        let admin = app.user("procapi", &["admin"]).await;
        let token = app.token(&admin).await;
        let c = api_client();
        let mut p: Value =
            c.get(app.url("/api/v1/procedure")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        p["based_on"] = p["version"].clone();
        p["note"] = "API edit".into();
        p["tasks"][0]["when"] = "helicopter".into();
        p["stages"][2]["offset_working_days"] = (-7).into();
        let res = c.put(app.url("/api/v1/procedure")).bearer_auth(&token).json(&p).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let problem: Value = res.json().await.unwrap();
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"tasks[0].when") && fields.contains(&"stages[2].offset_working_days"), "{problem}");

        p["tasks"][0]["when"] = Value::Null;
        p["stages"][2]["offset_working_days"] = (-3).into();
        let res = c.put(app.url("/api/v1/procedure")).bearer_auth(&token).json(&p).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        assert_eq!((v["version"].as_i64(), v["stages"][2]["offset_working_days"].as_i64()), (Some(2), Some(-3)));
        let stale = c.put(app.url("/api/v1/procedure")).bearer_auth(&token).json(&p).send().await.unwrap();
        assert_eq!(stale.status(), 409);
        app.stop().await;
    })
    .await;
}
