# lab lint, lab test, lab new, labs: what instructors read.
lint-severity = { $severity ->
        [warning] warning
       *[error] error
    }
lint-syntax = TOML syntax error: { $error }
lint-unknown-key = Unknown key `{ $key }` { $table ->
        [top] at the top of the lab.
       *[other] in { $table }.
    }
lint-did-you-mean = Did you mean `{ $suggestion }`?
lint-expected = Expected one of: { $list }.
lint-missing-key = Missing key `{ $key }` { $table ->
        [top] at the top of the lab.
       *[other] in { $table }.
    }
lint-wrong-type = { $path } must be { $expected ->
        [string] a string
        [integer] an integer
        [boolean] true or false
        [table] a table
        [array] an array
        [text] a text in both languages, `{ "{" } fr = "…", en = "…" { "}" }`
       *[check] a check, a table with one key such as `{ "{" } image_present = "nginx" { "}" }`
    }, not { $found ->
        [string] a string
        [integer] an integer
        [float] a decimal number
        [boolean] a boolean
        [datetime] a date
        [array] an array
       *[table] a table
    }.
lint-negative = { $path } must be a whole number, 0 or more.
lint-missing-text = { $path }: the { $lang ->
        [fr] French
       *[en] English
    } text is missing.
lint-empty-text = { $path }: the { $lang ->
        [fr] French
       *[en] English
    } text is empty.
lint-bad-reference = Invalid image reference “{ $reference }”: { $error }
lint-bad-pattern = The command pattern “{ $pattern }” is not a Docker command docklab knows: { $error }
lint-unknown-value = Unknown value “{ $value }” for { $path }.
lint-no-bound = { $path } needs a bound: equals, at_least or at_most.
lint-check-shape = { $path }: a check is a table with exactly one key, its kind; this one has { $keys }.
lint-same-image-arity = same_image compares exactly 2 references; { $found } given.
lint-empty-list = { $path } is empty.
lint-unknown-check = Unknown check kind `{ $kind }`.
lint-bad-path = The path “{ $path }” must be relative to ~ and stay inside it.
lint-tutor-in-solution = “{ $line }” is a tutor command; a solution holds only what a student types to solve the step (Docker and shell commands, answers to Docker's questions).
lint-bad-command = The solution line “{ $line }” is refused by Docker: { $error }
lint-not-in-catalog = The offline catalog has no image { $reference }, so the start state cannot be prepared.
lint-catalog-tags = Its tags for { $name }: { $tags }.
lint-empty-step-id = { $path }: the step id is empty.
lint-duplicate-step = The step id “{ $id }” is already used (line { $first }); step ids must be unique.
lint-format-version = format_version { $found } is not supported: this docklab reads version { $supported }.
lint-bad-lab-id = The lab id “{ $id }” must be lowercase letters, digits and '-'.
lint-schema = The lab does not load: { $error }
lint-duplicate-lab = The lab id “{ $id }” is also used by { $other }; the one loaded last replaces the other.
lint-unreadable = Cannot read { $path }: { $error }
lab-too-large = { $path }: this lab file is too large ({ $size } bytes; a lab file may have at most { $limit } bytes), so it was not read.
lab-not-regular = { $path }: this is not a regular file but { $kind ->
        [directory] a directory
        [fifo] a FIFO (named pipe)
        [socket] a socket
        [character-device] a character device
        [block-device] a block device
       *[other] a special file
    }, so it was skipped without being read.
lint-no-files = { $path }: no lab file (*.toml) here.
lint-summary = { $files } { $files ->
        [one] lab file
       *[other] lab files
    } checked: { $errors ->
        [0] { $warnings ->
            [0] no problem
            [one] 1 warning
           *[other] { $warnings } warnings
        }
        [one] 1 error{ $warnings ->
            [0] {""}
            [one] , 1 warning
           *[other] , { $warnings } warnings
        }
       *[other] { $errors } errors{ $warnings ->
            [0] {""}
            [one] , 1 warning
           *[other] , { $warnings } warnings
        }
    }.
test-lab = Lab { $id } ({ $file })
test-step-ok = { "  " }✔ step { $n } { $id }: fails before its solution, passes after.
test-step-vacuous = { "  " }✘ step { $n } { $id }: its checks already pass before its solution runs, so they cannot tell whether the student did the step.
test-step-not-met = { "  " }✘ step { $n } { $id }: its checks still fail after its solution:
test-step-early = { "  " }✘ step { $n } { $id }: the step passed before its last solution line; “{ $line }” and the lines after it would run in the next step.
test-step-unsupported = { "  " }✘ step { $n } { $id }: the simulator cannot run “{ $line }” yet (test this lab with --engine docker --yes).
test-step-not-run = { "  " }· step { $n } { $id }: not tested (an earlier step failed).
test-line-failed = { "      " }$ { $line } → exit { $code }{ $error ->
        [none] {""}
       *[other] : { $error }
    }
test-lab-passed = { "  " }Lab { $id } is solvable: { $steps } { $steps ->
        [one] step
       *[other] steps
    } tested.
test-lab-failed = { "  " }Lab { $id } fails: { $failed } { $failed ->
        [one] problem
       *[other] problems
    }.
test-summary = { $failed ->
        [0] { $labs } { $labs ->
            [one] lab
           *[other] labs
        } tested: all solvable.
       *[other] { $labs } { $labs ->
            [one] lab
           *[other] labs
        } tested: { $failed } failed.
    }
test-real-needs-yes = lab test --engine docker pulls, tags and removes images on your real Docker engine. Add --yes to run it anyway.
new-written = Wrote { $path }. Edit it, then: docklab lab lint { $path } and docklab lab test { $path }
new-exists = { $path } already exists; docklab lab new does not overwrite a file.
new-bad-id = The lab id “{ $id }” must be lowercase letters, digits and '-'.
labs-line = { $id } — { $title } ({ $steps } { $steps ->
        [one] step
       *[other] steps
    }) { $origin ->
        [builtin] [built in]
       *[other] [{ $origin }]
    }
labs-dir = { $files ->
        [-1] Looked for labs in { $dir } (no such directory).
        [0] Looked for labs in { $dir } (no file).
        [one] Looked for labs in { $dir } (1 file).
       *[other] Looked for labs in { $dir } ({ $files } files).
    }

## The start state's commands (start.commands, used by generated practice).
lint-start-not-docker = The start command “{ $line }” is not a Docker command: start.commands holds only `docker …` lines (files go in [[start.file]]).
lint-start-bad-command = The start command “{ $line }” is refused by Docker: { $error }
generate-written = Wrote { $path }, the practice lab { $id }. Check it: docklab lab lint { $path } and docklab lab test { $path }; students put it in a lab directory (docklab labs shows where) and type start { $id }.
# lab lint: French typography in a lab's French texts (warnings), and lab lint --fix
lint-french-typography = { $path }: French typography: { $fault ->
        [ordinary-space] “{ $char }” takes a no-break space before it (U+202F, or U+00A0), not an ordinary space.
        [no-space] “{ $char }” takes a no-break space before it (U+202F, or U+00A0).
        [quote] quotes are « » with no-break spaces inside, not { $char }.
        [guillemet] `{ $char }` takes a no-break space on the side of the text (U+202F, or U+00A0).
       *[etiquette] say `tag`, not `étiquette` (which names a LABEL).
    }
lint-fixed = { $path }: French typography put right in { $count } { $count ->
        [one] text
       *[other] texts
    }.
