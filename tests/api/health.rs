use crate::support::*;

async fn live_and_ready_answer_200_when_the_database_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/health/live", "/health/ready"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(json_body(res).await, serde_json::json!({"status": "ok"}));
    }
}

crate::on_sqlite!(live_and_ready_answer_200_when_the_database_answers);
