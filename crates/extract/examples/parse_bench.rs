//! Measures what lol_html's streaming tokenizer costs with different handler sets, over
//! a directory of pages (default: the dev extraction benchmark), and the whole
//! extraction for comparison. `dom::parse` itself is timed by the ignored test
//! `dom::bench::parse_speed`.
//!
//! `cargo run --release -p warta-extract --example parse_bench [DIR] [REPEAT]`

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use lol_html::{HtmlRewriter, Settings, doc_comments, doc_text, element};

/// CPU seconds this thread has used (Linux `/proc`; 0 elsewhere). On a shared machine
/// wall time says little.
fn cpu_secs() -> f64 {
    // The first field of schedstat is the time run on a CPU, in nanoseconds.
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn time(name: &str, pages: &[String], repeat: usize, mut f: impl FnMut(&str) -> usize) {
    let mut best = f64::MAX;
    let mut cpu = f64::MAX;
    let mut out = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        let c = cpu_secs();
        out = pages.iter().map(|p| f(p)).sum::<usize>();
        cpu = cpu.min(cpu_secs() - c);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{name:<44} least CPU {:6.3} ms/page {:6.0} pages/CPU-s; best wall {:6.3} ms/page (check {out})",
        cpu * 1e3 / pages.len() as f64,
        pages.len() as f64 / cpu,
        best * 1e3 / pages.len() as f64,
    );
}

fn run(html: &str, settings: Settings<'_, '_>) {
    let mut rw = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rw.write(html.as_bytes());
    let _ = rw.end();
}

#[allow(clippy::let_and_return)] // the borrow must end before the `Rc` is dropped
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "/work/shared/bench/extraction/dev/html".into());
    let repeat: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let mut pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("page directory")
        .filter_map(|e| {
            let p = e.ok()?.path();
            Some((p.display().to_string(), std::fs::read(&p).ok()?))
        })
        .collect();
    pages.sort();
    let texts: Vec<String> = pages
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let which = std::env::var("WARTA_BENCH_ONLY").unwrap_or_default();
    let on = |n: &str| which.is_empty() || which.split(',').any(|w| n.starts_with(w));

    if on("none") {
        time("none: no handlers", &texts, repeat, |h| {
            run(h, Settings::new());
            0
        });
    }
    if on("el") {
        time("el: element!(*) tag_name", &texts, repeat, |h| {
            let n = RefCell::new(0usize);
            run(
                h,
                Settings {
                    element_content_handlers: vec![element!("*", |el| {
                        *n.borrow_mut() += el.tag_name().len();
                        Ok(())
                    })],
                    ..Settings::new()
                },
            );
            n.into_inner()
        });
        time("el-attrs: element!(*) attributes()", &texts, repeat, |h| {
            let n = RefCell::new(0usize);
            run(
                h,
                Settings {
                    element_content_handlers: vec![element!("*", |el| {
                        *n.borrow_mut() += el.attributes().len();
                        Ok(())
                    })],
                    ..Settings::new()
                },
            );
            n.into_inner()
        });
        time("el-loc: element!(*) source_location", &texts, repeat, |h| {
            let n = RefCell::new(0usize);
            run(
                h,
                Settings {
                    element_content_handlers: vec![element!("*", |el| {
                        *n.borrow_mut() += el.source_location().bytes().start;
                        Ok(())
                    })],
                    ..Settings::new()
                },
            );
            n.into_inner()
        });
    }
    if on("text") {
        time("text: doc_text!", &texts, repeat, |h| {
            let n = RefCell::new(0usize);
            run(
                h,
                Settings {
                    document_content_handlers: vec![doc_text!(|t| {
                        *n.borrow_mut() += t.as_str().len();
                        Ok(())
                    })],
                    ..Settings::new()
                },
            );
            n.into_inner()
        });
        time("text-rm: doc_text! + remove()", &texts, repeat, |h| {
            let n = RefCell::new(0usize);
            run(
                h,
                Settings {
                    document_content_handlers: vec![doc_text!(|t| {
                        *n.borrow_mut() += t.as_str().len();
                        t.remove();
                        Ok(())
                    })],
                    ..Settings::new()
                },
            );
            n.into_inner()
        });
    }
    if on("eltext") {
        time(
            "eltext: element!(*) + doc_text! + comments",
            &texts,
            repeat,
            |h| {
                let n = RefCell::new(0usize);
                run(
                    h,
                    Settings {
                        element_content_handlers: vec![element!("*", |el| {
                            *n.borrow_mut() += el.source_location().bytes().start & 1;
                            Ok(())
                        })],
                        document_content_handlers: vec![
                            doc_text!(|t| {
                                *n.borrow_mut() += t.as_str().len();
                                Ok(())
                            }),
                            doc_comments!(|c| {
                                *n.borrow_mut() += c.source_location().bytes().len();
                                Ok(())
                            }),
                        ],
                        ..Settings::new()
                    },
                );
                n.into_inner()
            },
        );
    }
    if on("elraw") {
        time(
            "elraw: element!(*) + comments + raw-text end",
            &texts,
            repeat,
            |h| {
                let n = Rc::new(RefCell::new(0usize));
                let n2 = Rc::clone(&n);
                let n4 = Rc::clone(&n);
                run(
                    h,
                    Settings {
                        element_content_handlers: vec![
                            element!("*", move |el| {
                                *n2.borrow_mut() += el.source_location().bytes().start & 1;
                                Ok(())
                            }),
                            element!(
                                "script,style,textarea,title,xmp,iframe,noembed,noframes,noscript",
                                move |el| {
                                    if let Some(hs) = el.end_tag_handlers() {
                                        let n3 = Rc::clone(&n4);
                                        let handler: lol_html::EndTagHandler<'static> =
                                            Box::new(move |e| {
                                                *n3.borrow_mut() +=
                                                    e.source_location().bytes().start & 1;
                                                Ok(())
                                            });
                                        hs.push(handler);
                                    }
                                    Ok(())
                                }
                            ),
                        ],
                        document_content_handlers: vec![doc_comments!(|c| {
                            *n.borrow_mut() += c.source_location().bytes().len();
                            Ok(())
                        })],
                        ..Settings::new()
                    },
                );
                let v = *n.borrow();
                v
            },
        );
    }
    if on("endh") {
        time(
            "endh: element!(*) + end handlers + doc_text!",
            &texts,
            repeat,
            |h| {
                let n = Rc::new(RefCell::new(0usize));
                let n2 = Rc::clone(&n);
                run(
                    h,
                    Settings {
                        element_content_handlers: vec![element!("*", move |el| {
                            *n2.borrow_mut() += 1;
                            if let Some(hs) = el.end_tag_handlers() {
                                let n3 = Rc::clone(&n2);
                                let handler: lol_html::EndTagHandler<'static> =
                                    Box::new(move |_e| {
                                        *n3.borrow_mut() += 1;
                                        Ok(())
                                    });
                                hs.push(handler);
                            }
                            Ok(())
                        })],
                        document_content_handlers: vec![doc_text!(|t| {
                            *n.borrow_mut() += t.as_str().len();
                            Ok(())
                        })],
                        ..Settings::new()
                    },
                );
                let v = *n.borrow();
                v
            },
        );
    }
    if on("extract") {
        let docs: Vec<warta_core::RawDoc> = pages
            .iter()
            .map(|(name, b)| warta_core::RawDoc {
                input: name.clone(),
                bytes: b.clone(),
                ..Default::default()
            })
            .collect();
        let mut cpu = f64::MAX;
        for _ in 0..repeat {
            let c = cpu_secs();
            for d in &docs {
                let _ = std::hint::black_box(warta_extract::extract(d));
            }
            cpu = cpu.min(cpu_secs() - c);
        }
        println!(
            "{:<44} least CPU {:6.3} ms/page {:6.0} pages/CPU-s",
            "extract: warta_extract::extract (whole)",
            cpu * 1e3 / docs.len() as f64,
            docs.len() as f64 / cpu
        );
    }
}
