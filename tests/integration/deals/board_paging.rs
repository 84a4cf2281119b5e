//! A column sends its first 50 cards with its exact count; the rest come page by page after a
//! cursor, in column order, with none repeated or skipped.

use super::*;

/// Every card of a column, following its cursors from the board's first page.
async fn whole_column(
    app: &TestApp,
    client: &reqwest::Client,
    column: &Value,
) -> (Vec<String>, Vec<usize>) {
    let stage_id = column["stage_id"].to_string();
    let title = |deal: &Value| deal["title"].as_str().unwrap_or_default().to_string();
    let mut cards: Vec<String> = column["deals"]
        .as_array()
        .expect("deals")
        .iter()
        .map(title)
        .collect();
    let mut pages = vec![cards.len()];
    let mut cursor = column["next_cursor"].clone();
    while let Some(after) = cursor.as_str() {
        let form = [("stage_id", stage_id.as_str()), ("cursor", after)];
        let (status, page) = app.call(client, "/api/deals/board_column", &form).await;
        assert_eq!(status, 200, "{page}");
        let deals = page["deals"].as_array().expect("deals");
        pages.push(deals.len());
        cards.extend(deals.iter().map(title));
        cursor = page["next_cursor"].clone();
    }
    (cards, pages)
}

fn numbered(prefix: &str, range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("{prefix} {i:03}")).collect()
}

db_test!(
    open_columns_page_by_position_without_gaps_or_repeats,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (pipeline, _) = stages(&app, &admin).await;
        for title in numbered("Deal", 0..120) {
            assert_eq!(create_deal(&app, &admin, &[("title", &title)]).await.0, 200);
        }
        let board = board(&app, &admin, pipeline, &[]).await;
        let new = &board[0];
        assert_eq!(new["count"], 120, "the exact count, not the page's");
        let (cards, pages) = whole_column(&app, &admin, new).await;
        assert_eq!(pages, [50, 50, 20]);
        assert_eq!(cards, numbered("Deal", 0..120), "in position order");

        // A filter narrows the pages as well as the count.
        let board = super::board(&app, &admin, pipeline, &[("q", "deal 1")]).await;
        assert_eq!(board[0]["count"], 20);
        let (cards, pages) = whole_column(&app, &admin, &board[0]).await;
        assert_eq!(pages, [20]);
        assert_eq!(cards, numbered("Deal", 100..120));
    }
);

db_test!(closed_columns_page_newest_closed_first, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (pipeline, stages) = stages(&app, &admin).await;
    for title in numbered("Won", 0..60) {
        let form = [
            ("title", title.as_str()),
            ("stage_id", stages["Won"].as_str()),
        ];
        assert_eq!(create_deal(&app, &admin, &form).await.0, 200);
    }
    let board = board(&app, &admin, pipeline, &[]).await;
    let won_id: i64 = stages["Won"].parse().expect("id");
    let won = board
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["stage_id"] == won_id)
        .expect("the Won column");
    assert_eq!(won["count"], 60);
    let (cards, pages) = whole_column(&app, &admin, won).await;
    assert_eq!(pages, [50, 10]);
    let mut newest_first = numbered("Won", 0..60);
    newest_first.reverse();
    assert_eq!(cards, newest_first);
});
