//! Where a spec comes from: a file, or an http(s) address (Linq no longer
//! publishes its document at a fixed public address, so the address is a
//! setting). Whatever arrives must be a YAML or JSON OpenAPI 3.x document,
//! and the error says which of those it is not.
//!
//! Addresses are fetched with the system's `curl`, so that contributor
//! tooling compiles no HTTP or TLS stack of its own.

use std::{path::Path, process::Command};

use serde_json::Value;

/// The document at `source` (a path, or an `http://` or `https://` URL) as
/// text, checked to be an OpenAPI 3.x document.
pub fn load(source: &str) -> Result<String, String> {
    load_parsed(source).map(|(text, _)| text)
}

/// The document at `source` as text and parsed, checked as [`load`] does.
pub fn load_parsed(source: &str) -> Result<(String, Value), String> {
    let text = if source.starts_with("http://") || source.starts_with("https://") {
        fetch(source)?
    } else {
        let bytes = crate::read(Path::new(source))?;
        String::from_utf8(bytes).map_err(|_| format!("{source} is not UTF-8 text"))?
    };
    let document = parse(source, &text)?;
    Ok((text, document))
}

/// Parses `text` (JSON is YAML) and checks it is an OpenAPI 3.x document.
pub fn parse(source: &str, text: &str) -> Result<Value, String> {
    let value: Value = serde_yaml::from_str(text).map_err(|e| {
        format!(
            "{source} is not a YAML or JSON document ({e}){}",
            html_hint(text)
        )
    })?;
    let Value::Object(document) = &value else {
        return Err(format!(
            "{source} is not a YAML or JSON document: it holds {}, not a mapping{}",
            kind(&value),
            html_hint(text)
        ));
    };
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.") => Ok(value),
        Some(version) => Err(format!(
            "{source} is OpenAPI {version}, not 3.x: sync reads OpenAPI 3.0 and 3.1 documents"
        )),
        None if document.contains_key("swagger") => {
            Err(format!("{source} is a Swagger 2 document, not OpenAPI 3.x"))
        }
        None => Err(format!(
            "{source} is not an OpenAPI 3.x document: it has no `openapi` version field"
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "plain text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A hint when the text looks like a web page (a login page in front of the
/// document, say).
fn html_hint(text: &str) -> &'static str {
    let start = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        " (it is an HTML page: a login page or an error page in front of the document?)"
    } else {
        ""
    }
}

/// Fetches `url`: the body of a 2xx answer, or why there is none.
fn fetch(url: &str) -> Result<String, String> {
    let output = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--location",
            "--max-redirs",
            "5",
            "--connect-timeout",
            "15",
            "--max-time",
            "120",
            "--write-out",
            "\n%{http_code}",
            "--",
            url,
        ])
        .output()
        .map_err(|e| format!("cannot run curl to fetch {url} (install curl): {e}"))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(format!("cannot reach {url}: {}", why.trim()));
    }
    let body = String::from_utf8(output.stdout)
        .map_err(|_| format!("{url} answered with a body that is not UTF-8 text"))?;
    let (body, status) = body.rsplit_once('\n').unwrap_or(("", &body));
    match status.trim().parse::<u16>() {
        Ok(200..=299) => Ok(body.to_owned()),
        Ok(status) => Err(format!("{url} answered HTTP {status}, not the document")),
        Err(_) => Err(format!("{url}: curl reported no HTTP status")),
    }
}

#[cfg(test)]
pub mod tests {
    use std::{
        io::{Read, Write},
        net::TcpListener,
    };

    use super::*;

    /// An HTTP server on 127.0.0.1 that answers every request with
    /// `status` and `body`; returns its base URL.
    pub fn serve(status: u16, content_type: &'static str, body: String) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        });
        url
    }

    fn published() -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/published-3.1.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn a_document_is_fetched_from_a_url() {
        let url = serve(200, "application/yaml", published());
        assert_eq!(load(&format!("{url}/openapi.yaml")).unwrap(), published());
    }

    #[test]
    fn an_unreachable_address_is_named() {
        let error = load("http://127.0.0.1:1/openapi.yaml").unwrap_err();
        assert!(
            error.starts_with("cannot reach http://127.0.0.1:1/openapi.yaml"),
            "{error}"
        );
        let error = load(&format!("{}/gone", serve(404, "text/plain", "no".into()))).unwrap_err();
        assert!(error.contains("answered HTTP 404"), "{error}");
    }

    #[test]
    fn a_login_page_is_not_a_document() {
        let page =
            "<!DOCTYPE html>\n<html><body><form action=\"/login\">Sign in</form></body></html>\n";
        let url = serve(200, "text/html", page.into());
        let error = load(&url).unwrap_err();
        assert!(error.contains("is not a YAML or JSON document"), "{error}");
        assert!(error.contains("HTML page"), "{error}");
    }

    #[test]
    fn a_document_that_is_not_openapi_3_is_refused() {
        for (body, expected) in [
            ("swagger: \"2.0\"\ninfo: {title: x}\n", "Swagger 2"),
            ("{\"openapi\": \"2.5.0\"}", "not 3.x"),
            ("{\"name\": \"something else\"}", "no `openapi` version"),
        ] {
            let url = serve(200, "application/json", body.into());
            let error = load(&url).unwrap_err();
            assert!(error.contains(expected), "{body}: {error}");
        }
    }
}
