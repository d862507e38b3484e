//! Keyset pages stay exact while rows are added: walking forward and back visits every
//! row that existed once, in order, with no duplicates and no gaps.

use std::collections::HashSet;

use serde_json::Value;
use woonservice::domain::Role;

use crate::helpers::{TestApp, spawn_app};

async fn page(app: &TestApp, token: &str, cursor: Option<&str>) -> (Vec<i64>, Option<String>, Option<String>) {
    let path = match cursor {
        Some(c) => format!("/api/v1/clients?limit=7&cursor={c}"),
        None => "/api/v1/clients?limit=7".to_owned(),
    };
    let body: Value = app.get(&path, token).await.json().await.unwrap();
    let ids = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let cursor = |k: &str| body[k].as_str().map(str::to_owned);
    (ids, cursor("next_cursor"), cursor("prev_cursor"))
}

#[tokio::test]
async fn walking_pages_both_ways_while_clients_are_added_shows_each_existing_client_once_in_order() {
    let app = spawn_app().await;
    let waalre = app.municipality("Waalre");
    let existing: Vec<i64> = (0..30).map(|i| app.client_in(waalre, &format!("Cliënt {i}"))).collect();
    let token = app.token_for(Role::Advisor, &["Waalre"]).await;

    let writer = {
        let (db, clock) = (app.ctx.db.clone(), app.ctx.clock.clone());
        std::thread::spawn(move || {
            for i in 0..40 {
                db.run_blocking(|c| {
                    woonservice::store::clients::insert(
                        c,
                        &crate::world::client_fields(waalre, &format!("Nieuw {i}")),
                        clock.now(),
                    )
                })
                .unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        })
    };

    let mut forward = Vec::new();
    let mut cursor: Option<String> = None;
    let (last_page, last_prev) = loop {
        let (ids, next, prev) = page(&app, &token, cursor.as_deref()).await;
        forward.extend(ids.iter().copied());
        match next {
            Some(n) => cursor = Some(n),
            None => break (ids, prev),
        }
    };
    writer.join().unwrap();

    assert!(
        forward.windows(2).all(|p| p[0] < p[1]),
        "not ascending or duplicated: {forward:?}"
    );
    let seen: HashSet<i64> = forward.iter().copied().collect();
    assert!(
        existing.iter().all(|id| seen.contains(id)),
        "a client that existed was skipped"
    );

    let mut backward = Vec::new();
    let mut cursor = last_prev;
    while let Some(c) = cursor {
        let (ids, _, prev) = page(&app, &token, Some(&c)).await;
        backward.splice(0..0, ids);
        cursor = prev;
    }
    // New rows only ever come after the last page, so walking back from it retraces
    // exactly what came before it.
    assert_eq!(
        backward,
        forward[..forward.len() - last_page.len()],
        "walking back differs from walking forward"
    );
}
