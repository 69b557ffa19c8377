use super::*;

fn words(line: &str) -> Vec<String> {
    shell_words::split(line).expect("test lines are well quoted")
}

fn outcome(line: &str) -> (String, String, i32) {
    match parse(&words(line)) {
        Ok(Parsed::Run(inv)) => (inv.notices, format!("RUN {:?}", inv.command), 0),
        Ok(Parsed::Help { stdout, stderr }) => (stdout, stderr, 0),
        Err(e) => (e.stdout, e.stderr, e.exit_code),
    }
}

#[test]
#[ignore = "writes our outputs for comparison with the real client"]
fn dump_cases() {
    let cases = std::fs::read_to_string("/tmp/dk/cases.txt").expect("cases");
    std::fs::create_dir_all("/tmp/dk/ours").expect("dir");
    for (n, line) in cases.lines().enumerate() {
        let (out, err, rc) = outcome(line);
        std::fs::write(format!("/tmp/dk/ours/{n}.out"), out).expect("write");
        std::fs::write(format!("/tmp/dk/ours/{n}.err"), err).expect("write");
        std::fs::write(format!("/tmp/dk/ours/{n}.rc"), format!("{rc}\n")).expect("write");
    }
}
