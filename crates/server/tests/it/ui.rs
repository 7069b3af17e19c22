//! The web UI, rendered without a socket: pages, languages, and escaping of hostile
//! article content.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::{fixture_app, get_text, send};

/// Markup that must never reach a page unescaped.
const HOSTILE: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "<iframe",
    "<svg onload",
    "<b onmouseover",
    "<b>palsu",
    "<i>Foto",
    "</p><iframe",
];

fn assert_clean(page: &str) {
    for h in HOSTILE {
        assert!(!page.contains(h), "unescaped {h:?} in page:\n{page}");
    }
}

#[tokio::test]
async fn hostile_article_is_escaped_everywhere() {
    let (_dir, app, _) = fixture_app();
    let (status, page) = get_text(&app, "/articles/hostile").await;
    assert_eq!(status, StatusCode::OK);
    assert_clean(&page);
    // The words are shown, as text.
    assert!(
        page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;alert('title')&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&lt;svg onload=alert(4)&gt;"));
    // No link to a javascript: address.
    assert!(!page.to_lowercase().contains("href=\"javascript"));
    for uri in [
        "/?q=hoaks",
        "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/?q=Penipu",
        "/entities/person:evil",
        "/entities?q=Penipu",
        "/quotes?speaker=Penipu",
        "/quotes?q=%3Cscript%3E",
    ] {
        let (status, page) = get_text(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_clean(&page);
    }
    let (_, page) = get_text(&app, "/?q=%22%3E%3Cscript%3Ealert(9)%3C/script%3E").await;
    assert!(!page.contains("<script>alert(9)"));
}

#[tokio::test]
async fn pages_show_results_entities_and_quotes() {
    let (_dir, app, _) = fixture_app();
    let (status, page) = get_text(&app, "/?q=Korut&lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("3 articles"), "{page}");
    assert!(page.contains("North Korea"));
    assert!(page.contains("href=\"/articles/kim-tiba?lang=en\""));
    let (_, page) = get_text(&app, "/articles/kim-tiba?lang=en").await;
    assert!(page.contains("class=\"ent country\""), "{page}");
    assert!(page.contains("class=\"quote\""));
    assert!(page.contains("— Fyodor Tertitskiy"));
    assert!(page.contains("<time class=\"time\" datetime=\"2023-09-12\""));
    assert!(page.contains("sindikasi.test"), "copies are listed");
    let (_, page) = get_text(&app, "/entities/person:fyodor-tertitskiy?lang=en").await;
    assert!(page.contains("<svg class=\"timeline\""));
    assert!(page.contains("Moscow needs shells"));
    let (_, page) = get_text(&app, "/quotes?speaker=Tertitskiy&lang=en").await;
    assert!(page.contains("2 quotes"));
    let (status, page) = get_text(&app, "/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("<html"));
}

#[tokio::test]
async fn indonesian_or_english_by_parameter_or_header() {
    let (_dir, app, _) = fixture_app();
    let (_, page) = get_text(&app, "/?lang=id").await;
    assert!(page.contains("<html lang=\"id\""));
    assert!(page.contains(">Cari<"));
    let (_, page) = get_text(&app, "/?lang=en").await;
    assert!(page.contains("<html lang=\"en\""));
    let req = Request::get("/?q=Korut")
        .header(header::ACCEPT_LANGUAGE, "id-ID,id;q=0.9,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    let (_, headers, page) = send(&app, req).await;
    assert!(page.contains("3 artikel"), "{page}");
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}
