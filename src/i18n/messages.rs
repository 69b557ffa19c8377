//! Every message the tutor can say, as data: a variant per Fluent id, its fields the arguments.
//! Adding a variant without its `.ftl` entry in both locales fails the locale tests.

use fluent_bundle::FluentValue;

use super::{IntoArg, IoReason};

/// Sets numeric arguments to `n` in the test samples (to exercise plural branches).
trait SampleNum {
    fn set_num(&mut self, n: i64);
}

impl SampleNum for String {
    fn set_num(&mut self, _n: i64) {}
}

impl SampleNum for IoReason {
    fn set_num(&mut self, _n: i64) {}
}

impl SampleNum for i64 {
    fn set_num(&mut self, n: i64) {
        *self = n;
    }
}

macro_rules! messages {
    ($( $(#[$doc:meta])* $variant:ident $( { $($field:ident : $ty:ty),* $(,)? } )? => $id:literal, )*) => {
        /// A message the tutor says; rendered by [`super::tr`] in the student's language.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Msg {
            $( $(#[$doc])* $variant $( { $($field: $ty),* } )?, )*
        }

        impl Msg {
            /// The Fluent message id.
            pub fn id(&self) -> &'static str {
                match self {
                    $( Msg::$variant { .. } => $id, )*
                }
            }

            /// The Fluent arguments, by name.
            pub fn args(&self) -> Vec<(&'static str, FluentValue<'static>)> {
                match self {
                    $( Msg::$variant $( { $($field),* } )? => vec![
                        $( $( (stringify!($field), IntoArg::into_arg($field.clone())) ),* )?
                    ], )*
                }
            }

            /// One message of each kind with default arguments (tests).
            pub fn samples() -> Vec<Msg> {
                vec![ $( Msg::$variant $( { $($field: <$ty>::default()),* } )?, )* ]
            }

            /// The same message with every number set to `n` (tests).
            #[must_use]
            pub fn with_numbers(mut self, n: i64) -> Msg {
                match &mut self {
                    $( Msg::$variant $( { $($field),* } )? => { $( $( SampleNum::set_num($field, n); )* )? } )*
                }
                self
            }
        }
    };
}

messages! {
    // ---- tutor.ftl: the shell ----
    Welcome { version: String } => "welcome",
    Help => "help",
    HelpCommand { command: String } => "help-command",
    HelpFooter => "help-footer",
    LabsHeader => "labs-header",
    LabLine { id: String, title: String, steps: i64, done: i64 } => "lab-line",
    NoLabs => "no-labs",
    LabsHowToStart => "labs-how-to-start",
    LabStarted { id: String, title: String, steps: i64 } => "lab-started",
    LabResumed { id: String, title: String, step: i64, steps: i64 } => "lab-resumed",
    StepHeader { n: i64, total: i64, title: String } => "step-header",
    StepPassed { n: i64, title: String } => "step-passed",
    StepSkipped { n: i64, title: String } => "step-skipped",
    LabCompleted { title: String } => "lab-completed",
    Score { done: i64, total: i64, skipped: i64 } => "score",
    StillMissing => "still-missing",
    AllChecksPass => "all-checks-pass",
    HintHeader { n: i64, total: i64 } => "hint-header",
    NoMoreHints => "no-more-hints",
    SolutionHeader => "solution-header",
    SkipOffer => "skip-offer",
    NoLabStarted => "no-lab-started",
    LabFinished => "lab-finished",
    UnknownLab { id: String } => "unknown-lab",
    DidYouMeanLab { id: String } => "did-you-mean-lab",
    StartUsage => "start-usage",
    LangSwitched => "lang-switched",
    LangUsage { lang: String } => "lang-usage",
    Bye => "bye",
    DidYouMean { suggestion: String } => "did-you-mean",
    Forbidden { command: String } => "forbidden",
    Mistake => "mistake",
    ResetDone { id: String } => "reset-done",
    ResetRealPlan { count: i64 } => "reset-real-plan",
    ResetRealUnknown => "reset-real-unknown",
    ProgressHeader => "progress-header",
    ProgressLab { id: String, title: String, done: i64, total: i64, skipped: i64 } => "progress-lab",
    ProgressStep { n: i64, title: String, status: String } => "progress-step",
    OutsideWorkspace { dir: String } => "outside-workspace",
    NoSuchDir { dir: String } => "no-such-dir",
    ShellFailed { error: String } => "shell-failed",
    EngineFailed { error: String } => "engine-failed",
    NotSimulated { command: String } => "not-simulated",
    NotEmulated { command: String } => "not-emulated",
    DockerNotFound { program: String } => "docker-not-found",
    DaemonNotRunning { host: String } => "daemon-not-running",
    DaemonPermissionDenied { socket: String } => "daemon-permission-denied",
    ApiTimedOut { host: String, seconds: i64 } => "api-timed-out",
    ApiFailed { host: String, request: String, status: i64, message: String } => "api-failed",
    ApiUnexpected { host: String, request: String, detail: String } => "api-unexpected",
    StoreLocked { path: String, seconds: i64 } => "store-locked",
    StoreCorrupt { error: String } => "store-corrupt",
    StoreFuture { path: String, found: i64, supported: i64 } => "store-future",
    StoreDiskFull { path: String } => "store-disk-full",
    BadClock { value: String } => "bad-clock",
    BadLang { value: String } => "bad-lang",
    FsckChecked { blobs: i64, path: String } => "fsck-checked",
    FsckMissing { digest: String, what: String } => "fsck-missing",
    FsckCorrupt { name: String } => "fsck-corrupt",
    FsckInconsistent { what: String } => "fsck-inconsistent",
    FsckSwept { count: i64 } => "fsck-swept",
    FsckUnreferenced { count: i64 } => "fsck-unreferenced",
    FsckFreed { count: i64 } => "fsck-freed",
    FsckListingRewritten => "fsck-listing-rewritten",
    FsckClean => "fsck-clean",
    StoreCompacted { path: String, images: i64 } => "store-compacted",
    BadQuoting { error: String } => "bad-quoting",
    InterruptHint => "interrupt-hint",
    LineNotText => "line-not-text",
    ProgressUnreadable { id: String, error: String, kept: String } => "progress-unreadable",
    StartStateFailed { reference: String, error: String } => "start-state-failed",
    LabLoadFailed { error: String } => "lab-load-failed",
    LabSummary { id: String, title: String, steps: i64 } => "lab-summary",
    GradeLine { id: String, title: String, done: i64, total: i64, skipped: i64, score: i64 } => "grade-line",
    ReportWritten { path: String, entries: i64 } => "report-written",
    VerifyChainOk { entries: i64 } => "verify-chain-ok",
    VerifyChainBroken { entry: i64 } => "verify-chain-broken",
    VerifyReplayOk { passed: i64, skipped: i64 } => "verify-replay-ok",
    VerifyMismatch { step: String, claimed: String, replayed: String } => "verify-mismatch",
    VerifyUnreadable { error: String } => "verify-unreadable",
    VerifyDisclaimer => "verify-disclaimer",
    VerifyStudent { name: String } => "verify-student",
    VerifyLabSwitched { to: String } => "verify-lab-switched",
    PathRefused { path: String, reason: String } => "path-refused",
    VerifyTimeLimit { seconds: i64 } => "verify-time-limit",
    VerifySizeLimit { size: String } => "verify-size-limit",
    VerifyMemoryLimit { size: String } => "verify-memory-limit",
    VerifyReplayFailed { error: String } => "verify-replay-failed",
    VerifyResultDiffers => "verify-result-differs",
    GradebookProgress { done: i64, total: i64 } => "gradebook-progress",
    GradebookWritten { path: String, rows: i64, verified: i64, rejected: i64 } => "gradebook-written",
    GradebookNoDir { path: String, error: String } => "gradebook-no-dir",
    GradebookWriteFailed { path: String, error: String } => "gradebook-write-failed",
    // ---- tutor.ftl: attempts (never lose work: review, reset asks, attempts kept) ----
    LabReview { id: String, title: String } => "lab-review",
    AttemptStarted { n: i64 } => "attempt-started",
    LabKeptAttempt { n: i64, done: i64, steps: i64 } => "lab-kept-attempt",
    ResetPlan { id: String, files: i64, done: i64, total: i64 } => "reset-plan",
    ResetPlanStore { images: i64, containers: i64 } => "reset-plan-store",
    ResetKeeps { n: i64, completed: String } => "reset-keeps",
    ResetConfirm => "reset-confirm",
    ResetCancelled => "reset-cancelled",
    ResetNotKept { error: IoReason } => "reset-not-kept",
    GradeAttempt { n: i64, attempts: i64 } => "grade-attempt",
    VerifyAttempt { n: i64 } => "verify-attempt",
    VerifyGraded { n: i64, attempts: i64, passed: i64, skipped: i64 } => "verify-graded",
    VerifyNoneConfirmed { attempts: i64 } => "verify-none-confirmed",
    // ---- checks.ftl: what a check found ----
    ImagePresentFail { reference: String } => "image-present-fail",
    ImagePresentHolds { reference: String } => "image-present-holds",
    ImageAbsentFail { reference: String } => "image-absent-fail",
    ImageAbsentHolds { reference: String } => "image-absent-holds",
    SameImageFail { a: String, a_id: String, b: String, b_id: String } => "same-image-fail",
    SameImageHolds { a: String, b: String, id: String } => "same-image-holds",
    CountFail { what: String, subject: String, actual: i64, op: String, expected: i64 } => "count-fail",
    CountHolds { what: String, subject: String, actual: i64 } => "count-holds",
    ConfigFail { image: String, field: String, expected: String, actual: String } => "config-fail",
    ConfigHolds { image: String, field: String, expected: String } => "config-holds",
    BaseImageFail { image: String, base: String } => "base-image-fail",
    BaseImageHolds { image: String, base: String } => "base-image-holds",
    ContainerFail { image: String, running: String } => "container-fail",
    ContainerHolds { image: String, running: String, name: String } => "container-holds",
    FileExistsFail { path: String } => "file-exists-fail",
    FileExistsHolds { path: String } => "file-exists-holds",
    FileContainsFail { path: String, text: String } => "file-contains-fail",
    FileContainsHolds { path: String, text: String } => "file-contains-holds",
    CommandFail { command: String, status: String, scope: String, attempt: String, seen: String, code: i64 } => "command-fail",
    CommandHolds { command: String, status: String } => "command-holds",
    BuildCacheFail { count: i64 } => "build-cache-fail",
    BuildCacheHolds => "build-cache-holds",
    // ---- checks.ftl: the checks of generated practice (lab generate) ----
    ImagesSizeFail { size: String, op: String, expected: i64 } => "images-size-fail",
    ImagesSizeHolds { size: String } => "images-size-holds",
    TagsExactlyFail { extra: String, extras: i64, missing: String, missings: i64 } => "tags-exactly-fail",
    TagsExactlyHolds { tags: String } => "tags-exactly-holds",
    NotFail { inner: String } => "not-fail",
    AnyFail => "any-fail",
    // ---- layers.ftl: the layer picture and what a command changed ----
    LayersSummary { images: i64, layers: i64, shared: i64 } => "layers-summary",
    LayersDisk { size: String, naive: String } => "layers-disk",
    LayersDangling => "layers-dangling",
    LayersRunning { n: i64 } => "layers-running",
    LayersStopped { n: i64 } => "layers-stopped",
    LayersEmpty => "layers-empty",
    LayersNoImage { image: String } => "layers-no-image",
    ExplainOn => "explain-on",
    ExplainOff => "explain-off",
    ExplainUsage { state: String } => "explain-usage",
    ExplainImageAdded { image: String, size: String, added: i64, reused: i64 } => "explain-image-added",
    ExplainTagAdded { tag: String, image: String, others: i64 } => "explain-tag-added",
    ExplainTagMoved { tag: String, from: String, to: String } => "explain-tag-moved",
    ExplainNowDangling { image: String } => "explain-now-dangling",
    ExplainUntagged { tag: String, image: String, remaining: i64 } => "explain-untagged",
    ExplainImageDeleted { image: String } => "explain-image-deleted",
    ExplainImageDeletedTagged { image: String, tags: String } => "explain-image-deleted-tagged",
    ExplainLayersFreed { count: i64, size: String } => "explain-layers-freed",
    ExplainLayersKept { count: i64, size: String, images: String, users: i64 } => "explain-layers-kept",
    ExplainLayersKeptByCache { count: i64, size: String } => "explain-layers-kept-by-cache",
    ExplainContainerRunning { name: String, image: String } => "explain-container-running",
    ExplainContainerExited { name: String, image: String } => "explain-container-exited",
    ExplainContainerStopped { name: String } => "explain-container-stopped",
    ExplainContainerStarted { name: String } => "explain-container-started",
    ExplainContainerRemoved { name: String } => "explain-container-removed",
    ExplainCacheCleared { count: i64, size: String } => "explain-cache-cleared",
    ExplainRefusedInUse { image: String, container: String } => "explain-refused-in-use",
    ExplainRefusedRunning { image: String, container: String } => "explain-refused-running",
    ExplainRefusedStopped { image: String, container: String } => "explain-refused-stopped",
    ExplainRefusedTags { image: String } => "explain-refused-tags",
    ExplainRefusedChildren { image: String } => "explain-refused-children",
    // ---- checks.ftl: what keeps a dangling image (the prune trap) ----
    DanglingHeld { image: String, container: String, running: String } => "dangling-held",
    // ---- layers.ftl: the goal picture (`goal`) ----
    GoalHeading { n: i64, total: i64, title: String } => "goal-heading",
    GoalNow => "goal-now",
    GoalTarget => "goal-target",
    GoalAbsent => "goal-absent",
    GoalCount { dangling: String, now: i64, bound: String, n: i64 } => "goal-count",
    GoalContainer { image: String, want: String, count: i64, names: String } => "goal-container",
    GoalContainerState { running: String } => "goal-container-state",
    GoalOther { n: i64 } => "goal-other",
    GoalLegend { yes: String, no: String } => "goal-legend",
    GoalNoImages { n: i64 } => "goal-no-images",
    // ---- lint.ftl: lab lint, lab test, lab new, labs ----
    LintSeverity { severity: String } => "lint-severity",
    LintSyntax { error: String } => "lint-syntax",
    LintUnknownKey { key: String, table: String } => "lint-unknown-key",
    LintDidYouMean { suggestion: String } => "lint-did-you-mean",
    LintExpected { list: String } => "lint-expected",
    LintMissingKey { key: String, table: String } => "lint-missing-key",
    LintWrongType { path: String, expected: String, found: String } => "lint-wrong-type",
    LintNegative { path: String } => "lint-negative",
    LintMissingText { path: String, lang: String } => "lint-missing-text",
    LintEmptyText { path: String, lang: String } => "lint-empty-text",
    LintBadReference { reference: String, error: String } => "lint-bad-reference",
    LintBadPattern { pattern: String, error: String } => "lint-bad-pattern",
    LintUnknownValue { value: String, path: String } => "lint-unknown-value",
    LintNoBound { path: String } => "lint-no-bound",
    LintCheckShape { path: String, keys: i64 } => "lint-check-shape",
    LintSameImageArity { found: i64 } => "lint-same-image-arity",
    LintEmptyList { path: String } => "lint-empty-list",
    LintUnknownCheck { kind: String } => "lint-unknown-check",
    LintBadPath { path: String } => "lint-bad-path",
    LintTutorInSolution { line: String } => "lint-tutor-in-solution",
    LintBadCommand { line: String, error: String } => "lint-bad-command",
    // lint.ftl: the start state's files and commands (generated practice)
    LintStartNotDocker { line: String } => "lint-start-not-docker",
    LintStartBadCommand { line: String, error: String } => "lint-start-bad-command",
    LintNotInCatalog { reference: String } => "lint-not-in-catalog",
    LintCatalogTags { name: String, tags: String } => "lint-catalog-tags",
    LintEmptyStepId { path: String } => "lint-empty-step-id",
    LintDuplicateStep { id: String, first: i64 } => "lint-duplicate-step",
    LintFormatVersion { found: String, supported: i64 } => "lint-format-version",
    LintBadLabId { id: String } => "lint-bad-lab-id",
    LintSchema { error: String } => "lint-schema",
    LintDuplicateLab { id: String, other: String } => "lint-duplicate-lab",
    LintUnreadable { path: String, error: String } => "lint-unreadable",
    LabTooLarge { path: String, size: i64, limit: i64 } => "lab-too-large",
    LabNotRegular { path: String, kind: String } => "lab-not-regular",
    LintNoFiles { path: String } => "lint-no-files",
    LintSummary { files: i64, errors: i64, warnings: i64 } => "lint-summary",
    LintFrenchTypography { path: String, fault: String, char: String } => "lint-french-typography",
    LintFixed { path: String, count: i64 } => "lint-fixed",
    TestLab { id: String, file: String } => "test-lab",
    TestStepOk { n: i64, id: String } => "test-step-ok",
    TestStepVacuous { n: i64, id: String } => "test-step-vacuous",
    TestStepNotMet { n: i64, id: String } => "test-step-not-met",
    TestStepEarly { n: i64, id: String, line: String } => "test-step-early",
    TestStepUnsupported { n: i64, id: String, line: String } => "test-step-unsupported",
    TestStepNotRun { n: i64, id: String } => "test-step-not-run",
    TestLineFailed { line: String, code: i64, error: String } => "test-line-failed",
    TestLabPassed { id: String, steps: i64 } => "test-lab-passed",
    TestLabFailed { id: String, failed: i64 } => "test-lab-failed",
    TestSummary { labs: i64, failed: i64 } => "test-summary",
    TestRealNeedsYes => "test-real-needs-yes",
    NewWritten { path: String } => "new-written",
    NewExists { path: String } => "new-exists",
    // tutor.ftl: practice (generated practice)
    PracticeSeed { seed: String, id: String, path: String } => "practice-seed",
    PracticeNotWritten { seed: String, path: String, error: String } => "practice-not-written",
    PracticeUsage { seed: String } => "practice-usage",
    // lint.ftl: lab generate (generated practice)
    GenerateWritten { path: String, id: String } => "generate-written",
    NewBadId { id: String } => "new-bad-id",
    LabsLine { id: String, title: String, steps: i64, origin: String } => "labs-line",
    LabsDir { dir: String, files: i64 } => "labs-dir",
    ReportWriteFailed { path: String, error: IoReason } => "report-write-failed",
    /// The reason for a write that failed on a full disk (or a file size limit, or a quota).
    ProgressNotSaved { id: String, path: String, error: IoReason } => "progress-not-saved",
    ProgressSavedAgain { id: String } => "progress-saved-again",
    LabInUse { id: String, pid: String, path: String } => "lab-in-use",
    LabInUseUnknown { id: String, path: String } => "lab-in-use-unknown",
    // docker search and the offline catalog (issue #15).
    /// A real official image of Docker Hub that the offline catalog does not carry.
    CatalogLacks { image: String, available: String } => "catalog-lacks",
    /// Not an official image's name: the official image for it is `official`.
    OfficialImageIs { typed: String, official: String } => "official-image-is",
    /// The tags the offline catalog has of a repository, when the one asked for is not one.
    CatalogTags { image: String, tags: String } => "catalog-tags",
    // The student's shell (issue #15, "behave like a shell").
    /// An editor typed that this machine does not have; `available` lists those on PATH.
    ShellEditorMissing { editor: String, available: String } => "shell-editor-missing",
    ShellEditorNone { editor: String } => "shell-editor-none",
    ShellNoOldpwd => "shell-no-oldpwd",
    /// `sudo docker …` typed: not run (docklab runs Docker commands itself).
    ShellSudoDocker { line: String } => "shell-sudo-docker",
    /// Ctrl-C stopped a Docker command the simulator was running.
    ShellInterrupted { command: String } => "shell-interrupted",
    // ---- layers.ftl, "teach only what is true" (issue #15): explanations that follow the engine's
    // real result ----
    /// An image left without a tag that a container still uses (`running` is `yes` or `no`).
    ExplainNowDanglingUsed { image: String, container: String, running: String } => "explain-now-dangling-used",
    ExplainLayersKeptByContainer { count: i64, size: String, containers: String, users: i64 } => "explain-layers-kept-by-container",
    ExplainRefusedInUseStopped { image: String, container: String } => "explain-refused-in-use-stopped",
    /// `image prune`/`system prune` left an image because a container uses it.
    ExplainPruneSpared { image: String, container: String, running: String } => "explain-prune-spared",
    /// A prune that found nothing to remove (`all` is `yes` for `-a`).
    ExplainPruneNothing { all: String } => "explain-prune-nothing",
    /// A `[y/N]` prompt answered with something other than `y`: Docker did nothing.
    ExplainPromptWantsY { answer: String } => "explain-prompt-wants-y",
    /// A failed build, named from Docker's error.
    ExplainBuildNoDockerfile { dir: String, folder: String, here: String } => "explain-build-no-dockerfile",
    ExplainBuildNoContext => "explain-build-no-context",
    ExplainBuildCopyMissing { source: String } => "explain-build-copy-missing",
    ExplainBuildUppercase { name: String, lower: String } => "explain-build-uppercase",
    ExplainBuildNoTag { image: String } => "explain-build-no-tag",
    ExplainDanglingUnused { image: String } => "explain-dangling-unused",
    ExplainIntermediateAdded { image: String, added: i64, reused: i64 } => "explain-intermediate-added",
    ExplainContainerFreedLayers { name: String, image: String } => "explain-container-freed-layers",
    /// The picture's word for a legacy builder's intermediate image (no tag, but a parent).
    LayersIntermediate => "layers-intermediate",
    // ---- checks.ftl, "teach only what is true" (issue #15) ----
    /// The images an image count found.
    CountImagesLeft { count: i64, images: String } => "count-images-left",

}
