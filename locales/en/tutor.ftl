welcome = Welcome to docklab { $version }, a shell for learning Docker images. Type real commands (docker pull nginx, mkdir, cd…); type help for the tutor's commands.
help = Tutor commands (French spellings work too):
labs-header = Labs:
lab-line = { "  " }{ $id } — { $title } ({ $done }/{ $steps } { $steps ->
        [one] step
       *[other] steps
    })
no-labs = No lab could be loaded.
labs-how-to-start = Type start followed by a lab's id, for example: start images
lab-started = Lab { $id }: { $title } ({ $steps } { $steps ->
        [one] step
       *[other] steps
    })
lab-resumed = Back to lab { $id }: { $title }, step { $step } of { $steps }.
step-header = Step { $n }/{ $total }: { $title }
step-passed = ✔ Step { $n } done: { $title }
step-skipped = ↷ Step { $n } skipped, its solution was applied: { $title }
lab-completed = 🎉 Lab completed: { $title }
score = Score: { $done }/{ $total } { $total ->
        [one] step
       *[other] steps
    } passed on your own{ $skipped ->
        [0] .
        [one] , 1 step skipped.
       *[other] , { $skipped } steps skipped.
    }
still-missing = Not yet. Still missing:
all-checks-pass = Everything this step asks for is there.
hint-header = Hint { $n }/{ $total }:
no-more-hints = No more hints for this step.
solution-header = The solution:
skip-offer = Type skip to apply it and go on (the grade will record it).
no-lab-started = No lab in progress. Type labs to see them, then start followed by an id.
lab-finished = This lab is finished.
unknown-lab = There is no lab called “{ $id }”.
did-you-mean-lab = Did you mean: start { $id }?
start-usage = Which lab? Type start followed by its id, for example: start images
lang-switched = The tutor now speaks English.
lang-usage = Unknown language “{ $lang }”. Type lang fr or lang en.
bye = Goodbye!
did-you-mean = Did you mean: { $suggestion }?
forbidden = docklab refused to run “{ $command }” in this step:
mistake = Careful:
reset-done = Lab { $id } starts over from its initial state.
progress-header = Progress:
progress-lab = { $id } — { $title }: { $done }/{ $total } passed{ $skipped ->
        [0] {""}
       *[other] , { $skipped } skipped
    }
progress-step = { "    " }{ $status ->
        [passed] ✔
        [skipped] ↷
        [current] ▶
       *[other] ·
    } { $n }. { $title }
outside-workspace = “{ $dir }” is outside your workspace; cd stays within ~.
no-such-dir = cd: { $dir }: no such directory
shell-failed = Could not run the command: { $error }
not-simulated = docklab does not simulate `docker { $command }`: the labs need only the image commands. To run it for real, start docklab with --engine docker on a machine with Docker.
not-emulated = docklab cannot run `{ $command }` in a container: the simulator executes no program. It knows echo, true, false, cat of the files an image holds, exit, simple sh -c scripts of these, shells, sleep and the images' own servers. To run it for real, start docklab with --engine docker on a machine with Docker.
engine-failed = The engine failed: { $error }
bad-quoting = Could not split the line into words: { $error }
interrupt-hint = (Ctrl-C cancels the line; Ctrl-D or quit leaves.)
line-not-text = That line is not UTF-8 text (a byte docklab cannot read as a character), so it was not run. Type it again.
progress-unreadable = The progress of lab { $id } could not be read ({ $error }). Your earlier work (progress, images, files) is kept in { $kept }; the lab starts over.
start-state-failed = Could not prepare { $reference } for the lab: { $error }
lab-load-failed = A lab file could not be loaded: { $error }
lab-summary = { $id } — { $title } ({ $steps } { $steps ->
        [one] step
       *[other] steps
    })
grade-line = { $id } — { $title }: { $score }% ({ $done }/{ $total } passed{ $skipped ->
        [0] {""}
       *[other] , { $skipped } skipped
    })
report-written = Report written to { $path } ({ $entries } { $entries ->
        [one] entry
       *[other] entries
    }).
verify-chain-ok = Hash chain intact ({ $entries } { $entries ->
        [one] entry
       *[other] entries
    }).
verify-chain-broken = The report was modified: the hash chain breaks at entry { $entry }.
verify-replay-ok = Replay on a fresh simulated engine confirms the results: { $passed } passed, { $skipped } skipped.
verify-mismatch = Replay disagrees on step { $step }: the report says { $claimed }, the replay gives { $replayed }.
verify-unreadable = Cannot read the report: { $error }
verify-disclaimer = Note: a report is tamper-evident and reproducible, not forgery-proof.
verify-student = Student: { $name } (as written in the report: a name is not authenticated).
verify-lab-switched = Rejected: the transcript switches to lab { $to } inside this lab's section; a section is graded on its own lab only.
path-refused = Refused in the replay's sandbox: { $path } { $reason ->
        [device] is a device or kernel file (/dev, /proc, /sys).
        [special-file] is a FIFO, socket or device.
        [symlink-loop] goes through too many symbolic links.
       *[other] cannot be mapped into the sandbox.
    }
verify-time-limit = Rejected: the replay did not finish within { $seconds } s (DOCKLAB_REPLAY_TIMEOUT sets the limit).
verify-size-limit = Rejected: the replay wrote more than { $size } in its sandbox (DOCKLAB_REPLAY_MAX_BYTES sets the limit).
verify-memory-limit = Rejected: the replay used more than { $size } of memory (DOCKLAB_REPLAY_MAX_MEMORY sets the limit).
verify-replay-failed = Rejected: the replay could not run to its end: { $error }
verify-result-differs = Replay disagrees on the result (score, total or completion), though on no step.
gradebook-progress = Verified { $done }/{ $total } { $total ->
        [one] report
       *[other] reports
    }
gradebook-written = Gradebook written to { $path }: { $rows } { $rows ->
        [one] row
       *[other] rows
    }, { $verified } verified, { $rejected } rejected.
gradebook-no-dir = Cannot read the directory of reports { $path }: { $error }
gradebook-write-failed = Cannot write the gradebook { $path }: { $error }
docker-not-found = docklab cannot find the Docker command { $program }. Install Docker, give its path with --docker-bin, or use the simulated engine (docklab without --engine docker).
daemon-not-running = The Docker daemon is not running{ $host ->
        [none] {""}
       *[other] {""} ({ $host })
    }. Start it (for instance sudo systemctl start docker), or use the simulated engine: docklab without --engine docker.
daemon-permission-denied = You are not allowed to use the Docker daemon ({ $socket }). Add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or use the simulated engine: docklab without --engine docker.
api-timed-out = The Docker daemon ({ $host }) did not answer docklab within { $seconds } s. It may be busy: try again, or use the simulated engine: docklab without --engine docker.
api-failed = The Docker daemon ({ $host }) refused docklab's question { $request } (HTTP { $status }): { $message }
api-unexpected = docklab did not understand the answer of the Docker daemon ({ $host }) to { $request }: { $detail }
store-locked = Another docklab is using the store { $path } (waited { $seconds } s). Finish or close the other docklab, then try again.
store-corrupt = The store is damaged: { $error }. Run docklab store fsck to see what is wrong.
store-future = The store { $path } was written by a newer docklab (state version { $found }; this docklab reads version { $supported }). It was left untouched: use that newer docklab, or another data directory (--home).
store-disk-full = The disk is full: docklab could not write in { $path }. The command was not completed and the images already there are untouched. Free some space, then try again.
reset-real-plan = On your real Docker, this lab created { $count } { $count ->
        [one] thing
       *[other] things
    } that reset can remove (nothing that was there before the lab):
reset-real-unknown = docklab does not know what your Docker engine held when this lab started, so reset removes nothing from it.
bad-clock = DOCKLAB_CLOCK={ $value } is not an RFC 3339 time (for example 2025-10-29T12:00:00Z).
bad-lang = --lang { $value }: docklab speaks fr and en.
fsck-checked = Checked { $blobs } { $blobs ->
        [one] blob
       *[other] blobs
    } in { $path }.
fsck-missing = missing: { $digest } ({ $what })
fsck-corrupt = corrupt: { $name } (its content does not hash to its name)
fsck-inconsistent = inconsistent: { $what }
fsck-swept = Removed { $count } temporary { $count ->
        [one] file
       *[other] files
    } left by an interrupted write.
fsck-unreferenced = { $count } unreferenced { $count ->
        [one] blob
       *[other] blobs
    } (harmless).
fsck-clean = The store is consistent.
store-compacted = The store { $path } was rewritten whole, with its journal; index.json lists { $images ->
        [0] no images
        [one] its image
       *[other] its { $images } images
    }.
fsck-listing-rewritten = The image listing (state.list) was missing, damaged or out of date: written again from the state file.
fsck-freed = { $count } { $count ->
        [one] blob
       *[other] blobs
    } freed by recent commands, unlinked when the state file is next rewritten (docklab store compact).
report-write-failed = The report could not be written to { $path } ({ $error ->
        [disk-full] the disk is full
       *[other] { $error }
    }). A file already there is left as it was.
progress-not-saved = Your progress in lab { $id } could not be saved to { $path } ({ $error ->
        [disk-full] the disk is full
       *[other] { $error }
    }). You can go on: docklab keeps it in memory and tries again after each command, but it is lost if you quit before a save succeeds.
progress-saved-again = Your progress in lab { $id } is saved again.
lab-in-use = Lab { $id } is already open in another docklab (process { $pid }); two shells on one lab would overwrite each other's transcript. Quit that shell (quit or Ctrl-D), then start the lab here. Nothing was changed. (Lock: { $path })
lab-in-use-unknown = Lab { $id } is already open in another docklab; two shells on one lab would overwrite each other's transcript. Quit that shell (quit or Ctrl-D), then start the lab here. Nothing was changed. (Lock: { $path })

## Attempts (never lose work): a completed lab opens in review, reset asks first and keeps the
## attempt it ends for the report, which grades the best attempt.
lab-review = Lab { $id } ({ $title }) is complete: you are reviewing it, with your files and images as you left them. Its grade and transcript are kept. To begin a new attempt, type reset: this one still counts for your grade.
lab-kept-attempt = { "    " }attempt { $n } kept for the grade: { $done }/{ $steps } { $steps ->
        [one] step
       *[other] steps
    }
attempt-started = This is attempt { $n }: your earlier attempts are kept, and the report grades the best one.
reset-plan = Starting lab { $id } over removes your files in ~ ({ $files } { $files ->
        [one] file
       *[other] files
    }) and your progress ({ $done }/{ $total } { $total ->
        [one] step
       *[other] steps
    } done).
reset-plan-store = It also removes the lab's images ({ $images }) and containers ({ $containers }): the lab starts again from its initial images.
reset-keeps = Your transcript is kept for the report as attempt { $n }{ $completed ->
        [yes] : this completed attempt still counts for your grade.
       *[other] .
    }
reset-confirm = Start over? [y/N]
reset-cancelled = Reset cancelled: nothing was removed.
reset-not-kept = The current attempt could not be kept for the report ({ $error ->
        [disk-full] the disk is full
       *[other] { $error }
    }), so nothing was removed.
grade-attempt = graded on attempt { $n } of { $attempts } (the best)
verify-attempt = attempt { $n }
verify-graded = Graded on attempt { $n } of { $attempts } (the best confirmed): { $passed } passed, { $skipped } skipped.
verify-none-confirmed = None of the { $attempts } attempts is confirmed.
# docker search and the offline catalog (issue #15)
catalog-lacks = Docker Hub does have an official { $image } image, but docklab works offline and its catalog does not include it. The images you can pull here: { $available }. To search them, type docker search followed by a word, for example docker search linux.
official-image-is = Docker Hub has no official image named { $typed }; the official image for that software is named { $official }.
catalog-tags = docklab's offline catalog has { $image } with these tags only: { $tags }. Name one of them (IMAGE:TAG).
## The student's shell (issue #15, "behave like a shell")
shell-editor-missing = { $editor } is not installed on this machine. Editors that work here: { $available }. Or write the file from the prompt with a here-document, ending with a line that holds only EOF:
    cat > Dockerfile <<EOF
    FROM nginx
    COPY index.html /usr/share/nginx/html/
    EOF
shell-editor-none = { $editor } is not installed on this machine, and no other terminal editor is. Write the file from the prompt with a here-document, ending with a line that holds only EOF:
    cat > Dockerfile <<EOF
    FROM nginx
    COPY index.html /usr/share/nginx/html/
    EOF
shell-no-oldpwd = cd -: there is no previous directory yet (OLDPWD not set).
shell-sudo-docker = No sudo here: docklab runs Docker commands itself. Type `{ $line }`.
shell-interrupted = Interrupted (Ctrl-C): `{ $command }` stopped. What it had finished is kept; nothing half-written is left in the image store.

## practice (generated practice labs)
practice-seed = Practice { $id }, seed { $seed }: an instructor gets the same lab with docklab lab generate --seed { $seed }, and you can start it again with start { $id }. The lab file: { $path }
practice-not-written = Practice seed { $seed } (docklab lab generate --seed { $seed }); its file could not be written to { $path }: { $error }
practice-usage = “{ $seed }” is not a seed: practice takes a whole number from 0 to 18446744073709551615, or nothing for a seed from the clock.
# help: one line per tutor command, from the table in src/command.rs (TUTOR_COMMANDS)
help-command = { $command ->
        [help] this list
        [labs] list the labs
        [start] start or resume a lab (start images)
        [step] show the current step again
        [check] say what is still missing in this step
        [hint] the next hint (then the solution)
        [next] go to the next step once this one is met
        [skip] apply the step's solution and go on (recorded in the grade)
        [reset] a new attempt at the current lab (asks; the last one is kept)
        [progress] your progress in every lab
        [layers] the picture of the images' layers (of one image if named)
        [goal] the step's goal beside the images now
        [explain] explain or not what each Docker command changed
        [lang] switch language
        [practice] a generated practice lab: a random start state and goal (seed from the clock without SEED)
        [quit] leave (Ctrl-D too)
       *[other] {""}
    }
help-footer = Other lines are run: docker … on the engine, anything else in your workspace (~).
