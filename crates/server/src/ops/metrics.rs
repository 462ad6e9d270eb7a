//! Prometheus metrics: request counts and latency by route template, method and status,
//! written in the text exposition format at `/metrics`.
//!
//! Counting costs a few atomic additions per request: each route gets its counters when
//! the router is built (so a request never allocates or takes a lock to find them), and
//! each (method, status) pair of a route claims one of a fixed set of slots the first time
//! it is seen.

use std::fmt::Write;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::Method;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// (method, status) pairs counted per route; a rarer pair beyond them is counted as the last.
const SLOTS: usize = 24;

const METHODS: [&str; 8] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"];

fn method_index(m: &Method) -> u32 {
    match *m {
        Method::GET => 0,
        Method::HEAD => 1,
        Method::POST => 2,
        Method::PUT => 3,
        Method::PATCH => 4,
        Method::DELETE => 5,
        Method::OPTIONS => 6,
        _ => 7,
    }
}

#[derive(Default)]
struct Slot {
    /// `(method + 1) << 16 | status`; 0 while unclaimed.
    key: AtomicU32,
    count: AtomicU64,
    /// Total latency in microseconds.
    sum_micros: AtomicU64,
    buckets: [AtomicU64; BUCKETS.len()],
}

/// The counters of one route.
pub struct RouteMetrics {
    route: &'static str,
    slots: [Slot; SLOTS],
}

impl RouteMetrics {
    fn new(route: &'static str) -> Self {
        Self { route, slots: std::array::from_fn(|_| Slot::default()) }
    }

    /// The slot of a (method, status) key: found, or claimed when free.
    fn slot(&self, key: u32) -> &Slot {
        for s in &self.slots {
            let k = s.key.load(Ordering::Acquire);
            if k == key {
                return s;
            }
            if k == 0 {
                match s.key.compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire) {
                    Ok(_) => return s,
                    Err(actual) if actual == key => return s,
                    Err(_) => {}
                }
            }
        }
        &self.slots[SLOTS - 1]
    }

    /// Records one request.
    pub fn observe(&self, method: &Method, status: u16, secs: f64) {
        let slot = self.slot(((method_index(method) + 1) << 16) | u32::from(status));
        slot.count.fetch_add(1, Ordering::Relaxed);
        slot.sum_micros.fetch_add((secs * 1e6) as u64, Ordering::Relaxed);
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            slot.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Every route's counters.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<Vec<Arc<RouteMetrics>>>,
}

impl Metrics {
    /// The counters of a route, made once when the router is built.
    pub fn route(&self, route: &'static str) -> Arc<RouteMetrics> {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = routes.iter().find(|r| r.route == route) {
            return r.clone();
        }
        let r = Arc::new(RouteMetrics::new(route));
        routes.push(r.clone());
        r
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut series: Vec<(&str, &str, u32, &Slot)> = Vec::new();
        for r in &routes {
            for s in &r.slots {
                let key = s.key.load(Ordering::Acquire);
                if key != 0 && s.count.load(Ordering::Relaxed) > 0 {
                    series.push((r.route, METHODS[((key >> 16) - 1) as usize % METHODS.len()], key & 0xffff, s));
                }
            }
        }
        series.sort_by_key(|(route, method, status, _)| (*method, *route, *status));
        let mut out = String::new();
        out.push_str("# HELP jiedai_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE jiedai_http_requests_total counter\n");
        for (r, m, st, s) in &series {
            let _ = writeln!(
                out,
                "jiedai_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{st}\"}} {}",
                s.count.load(Ordering::Relaxed)
            );
        }
        out.push_str("# HELP jiedai_http_request_duration_seconds HTTP request latency by route.\n");
        out.push_str("# TYPE jiedai_http_request_duration_seconds histogram\n");
        for (r, m, st, s) in &series {
            let labels = format!("method=\"{m}\",route=\"{r}\",status=\"{st}\"");
            let mut cumulative = 0;
            for (i, b) in BUCKETS.iter().enumerate() {
                cumulative += s.buckets[i].load(Ordering::Relaxed);
                let _ =
                    writeln!(out, "jiedai_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {cumulative}");
            }
            let count = s.count.load(Ordering::Relaxed);
            let sum = s.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(out, "jiedai_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}");
            let _ = writeln!(out, "jiedai_http_request_duration_seconds_sum{{{labels}}} {sum}");
            let _ = writeln!(out, "jiedai_http_request_duration_seconds_count{{{labels}}} {count}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_method_and_status_with_a_cumulative_histogram() {
        let m = Metrics::default();
        let r = m.route("/receptions/{id}");
        r.observe(&Method::GET, 200, 0.002);
        r.observe(&Method::GET, 200, 0.3);
        r.observe(&Method::POST, 303, 0.004);
        assert!(Arc::ptr_eq(&r, &m.route("/receptions/{id}")), "one set of counters per route");
        let text = m.render();
        assert!(
            text.contains(r#"jiedai_http_requests_total{method="GET",route="/receptions/{id}",status="200"} 2"#),
            "{text}"
        );
        assert!(text.contains(r#"jiedai_http_requests_total{method="POST",route="/receptions/{id}",status="303"} 1"#));
        assert!(text.contains(r#"method="GET",route="/receptions/{id}",status="200",le="0.0025"} 1"#), "{text}");
        assert!(text.contains(r#"method="GET",route="/receptions/{id}",status="200",le="0.5"} 2"#), "{text}");
    }
}
