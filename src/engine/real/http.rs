//! A small synchronous HTTP/1.1 client for Docker's Engine API: one `GET` per connection over a
//! Unix socket (or plain TCP), `Content-Length`, chunked and until-close bodies, a time limit on
//! every read and write, and a cap on the body's size. No async runtime: docklab asks a few
//! questions between two commands typed at a terminal, one at a time (docs/architecture.md says
//! why this and not bollard).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Where the daemon listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transport {
    /// A Unix socket (`unix:///var/run/docker.sock`).
    Unix(PathBuf),
    /// Plain HTTP over TCP (`tcp://127.0.0.1:2375`, no TLS).
    Tcp(String),
}

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    /// Nothing listens there, or the socket refused the user.
    #[error("cannot connect: {0}")]
    Connect(io::Error),
    #[error("{0}")]
    Io(io::Error),
    #[error("no answer within {}s", .0.as_secs_f32())]
    TimedOut(Duration),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("malformed HTTP answer: {0}")]
    Malformed(String),
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A client for one daemon.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    transport: Transport,
    /// For the whole of one request: connection, request and answer.
    timeout: Duration,
    max_body: usize,
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

impl Client {
    pub fn new(transport: Transport, timeout: Duration, max_body: usize) -> Client {
        Client {
            transport,
            timeout,
            max_body,
        }
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// `GET path` (with its query), the whole answer.
    pub fn get(&self, path: &str) -> Result<Response, HttpError> {
        let deadline = Instant::now() + self.timeout;
        let mut stream = self.connect()?;
        // The Host header is required by HTTP/1.1 and ignored by the daemon on a socket.
        let host = match &self.transport {
            Transport::Unix(_) => "docker",
            Transport::Tcp(addr) => addr.as_str(),
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: docklab/{}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
            env!("CARGO_PKG_VERSION")
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| self.io_error(e))?;
        stream.flush().map_err(|e| self.io_error(e))?;
        let mut reader = Limited {
            inner: BufReader::new(stream),
            deadline,
            timeout: self.timeout,
        };
        read_response(&mut reader, self.max_body).map_err(|e| match e {
            HttpError::Io(e) => self.io_error(e),
            other => other,
        })
    }

    fn connect(&self) -> Result<Box<dyn Stream>, HttpError> {
        let t = Some(self.timeout);
        match &self.transport {
            Transport::Unix(path) => {
                let s = UnixStream::connect(path).map_err(HttpError::Connect)?;
                s.set_read_timeout(t).map_err(HttpError::Io)?;
                s.set_write_timeout(t).map_err(HttpError::Io)?;
                Ok(Box::new(s))
            }
            Transport::Tcp(addr) => {
                use std::net::ToSocketAddrs as _;
                let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
                for a in addr.to_socket_addrs().map_err(HttpError::Connect)? {
                    match TcpStream::connect_timeout(&a, self.timeout) {
                        Ok(s) => {
                            s.set_read_timeout(t).map_err(HttpError::Io)?;
                            s.set_write_timeout(t).map_err(HttpError::Io)?;
                            return Ok(Box::new(s));
                        }
                        Err(e) => last = e,
                    }
                }
                Err(HttpError::Connect(last))
            }
        }
    }

    fn io_error(&self, e: io::Error) -> HttpError {
        if matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ) {
            HttpError::TimedOut(self.timeout)
        } else {
            HttpError::Io(e)
        }
    }
}

/// A reader that fails once the request's deadline has passed (each read has the socket's own
/// time limit too, so a silent daemon cannot hold a read for longer than that).
struct Limited<R> {
    inner: R,
    deadline: Instant,
    timeout: Duration,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        self.inner.read(buf)
    }
}

impl<R: BufRead> BufRead for Limited<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.check()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
    }
}

impl<R> Limited<R> {
    fn check(&self) -> io::Result<()> {
        if Instant::now() > self.deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no answer within {}s", self.timeout.as_secs_f32()),
            ));
        }
        Ok(())
    }
}

/// The longest status or header line accepted.
const MAX_LINE: usize = 16 * 1024;

fn read_line(r: &mut impl BufRead) -> Result<String, HttpError> {
    let mut line = Vec::new();
    let n = r
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(HttpError::Io)?;
    if n == 0 {
        return Err(HttpError::Malformed("connection closed".into()));
    }
    if line.len() > MAX_LINE {
        return Err(HttpError::Malformed("header line too long".into()));
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| HttpError::Malformed("header is not UTF-8".into()))
}

fn read_response(r: &mut impl BufRead, max_body: usize) -> Result<Response, HttpError> {
    let status_line = read_line(r)?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return Err(HttpError::Malformed(format!("status line {status_line:?}")));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| HttpError::Malformed(format!("status line {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| HttpError::Malformed(format!("header {line:?}")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        if headers.len() > 200 {
            return Err(HttpError::Malformed("too many headers".into()));
        }
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    // No body for these, whatever the headers say (RFC 9112 §6.3).
    if status == 204 || status == 304 || (100..200).contains(&status) {
        return Ok(response);
    }
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        response.body = read_chunked(r, max_body)?;
    } else if let Some(len) = response.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| HttpError::Malformed(format!("Content-Length {len:?}")))?;
        if len > max_body {
            return Err(HttpError::TooLarge(max_body));
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).map_err(HttpError::Io)?;
        response.body = body;
    } else {
        response.body = read_capped(r, max_body)?;
    }
    Ok(response)
}

/// Reads until end of stream, failing past `max` bytes.
fn read_capped(r: &mut impl Read, max: usize) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    r.take(max as u64 + 1)
        .read_to_end(&mut body)
        .map_err(HttpError::Io)?;
    if body.len() > max {
        return Err(HttpError::TooLarge(max));
    }
    Ok(body)
}

fn read_chunked(r: &mut impl BufRead, max: usize) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(r)?;
        // Chunk extensions (`;name=value`) are allowed and meaningless here.
        let size = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| HttpError::Malformed(format!("chunk size {line:?}")))?;
        if size == 0 {
            // Trailers, up to the empty line; a daemon that closes right away is fine too.
            while let Ok(l) = read_line(r) {
                if l.is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        if body.len().saturating_add(size) > max {
            return Err(HttpError::TooLarge(max));
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..]).map_err(HttpError::Io)?;
        let end = read_line(r)?;
        if !end.is_empty() {
            return Err(HttpError::Malformed("chunk not followed by CRLF".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    fn parse(raw: &str, max: usize) -> Result<Response, HttpError> {
        read_response(&mut io::Cursor::new(raw.as_bytes().to_vec()), max)
    }

    #[test]
    fn reads_a_content_length_body() {
        let r = parse(
            "HTTP/1.1 200 OK\r\nApi-Version: 1.51\r\nContent-Length: 5\r\n\r\nhello-and-more",
            100,
        )
        .expect("answer");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("API-Version"), Some("1.51"));
        assert_eq!(r.body, b"hello");
    }

    #[test]
    fn reads_a_chunked_body_with_extensions_and_trailers() {
        let r = parse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n[{},\r\n9\r\n{\"a\":12}]\r\n0\r\nX-Trailer: 1\r\n\r\n",
            100,
        )
        .expect("answer");
        assert_eq!(String::from_utf8_lossy(&r.body), "[{},{\"a\":12}]");
    }

    #[test]
    fn reads_until_close_without_a_length() {
        let r = parse("HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"x\"}", 100).expect("answer");
        assert_eq!(r.status, 404);
        assert_eq!(r.body, b"{\"message\":\"x\"}");
    }

    #[test]
    fn refuses_oversized_and_malformed_answers() {
        for raw in [
            "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\n\r\nhello world",
        ] {
            assert!(
                matches!(parse(raw, 10), Err(HttpError::TooLarge(10))),
                "{raw:?}"
            );
        }
        for raw in [
            "",
            "SSH-2.0-OpenSSH\r\n\r\n",
            "HTTP/1.1 abc OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
        ] {
            assert!(
                matches!(parse(raw, 100), Err(HttpError::Malformed(_))),
                "{raw:?}"
            );
        }
        assert!(matches!(
            parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", 100),
            Err(HttpError::Io(_))
        ));
    }

    /// A one-shot server on a Unix socket: answers `answer` after reading the request, or never
    /// answers when `answer` is `None`. Returns the request it read.
    fn serve(answer: Option<&'static str>) -> (tempfile::TempDir, std::thread::JoinHandle<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let listener = UnixListener::bind(dir.path().join("d.sock")).expect("bind");
        let handle = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().expect("accept");
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.ends_with(b"\r\n\r\n") {
                let n = conn.read(&mut buf).expect("read");
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            match answer {
                Some(a) => conn.write_all(a.as_bytes()).expect("write"),
                None => std::thread::sleep(Duration::from_millis(800)),
            }
            String::from_utf8_lossy(&request).into_owned()
        });
        (dir, handle)
    }

    #[test]
    fn asks_over_a_unix_socket() {
        let (dir, server) = serve(Some(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\nOK",
        ));
        let client = Client::new(
            Transport::Unix(dir.path().join("d.sock")),
            Duration::from_secs(5),
            1024,
        );
        let r = client.get("/v1.47/images/json?all=1").expect("answer");
        assert_eq!((r.status, r.body.as_slice()), (200, b"OK".as_slice()));
        let request = server.join().expect("server");
        assert!(
            request.starts_with("GET /v1.47/images/json?all=1 HTTP/1.1\r\nHost: docker\r\n"),
            "{request}"
        );
        assert!(request.contains("Connection: close\r\n"), "{request}");
    }

    #[test]
    fn a_silent_daemon_times_out() {
        let (dir, server) = serve(None);
        let client = Client::new(
            Transport::Unix(dir.path().join("d.sock")),
            Duration::from_millis(200),
            1024,
        );
        let started = Instant::now();
        let err = client.get("/_ping").expect_err("no answer");
        assert!(matches!(err, HttpError::TimedOut(_)), "{err:?}");
        assert!(started.elapsed() < Duration::from_millis(700));
        let _ = server.join();
    }

    #[test]
    fn no_socket_is_a_connection_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let client = Client::new(
            Transport::Unix(dir.path().join("none.sock")),
            Duration::from_secs(1),
            1024,
        );
        let err = client.get("/_ping").expect_err("nothing there");
        assert!(
            matches!(&err, HttpError::Connect(e) if e.kind() == io::ErrorKind::NotFound),
            "{err:?}"
        );
    }
}
