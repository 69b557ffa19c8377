//! What the student is told when an engine cannot answer, as a [`Msg`]: the engine's errors are
//! data here and words only in the locales (so `i18n` depends on nothing of the engine's).

use crate::i18n::Msg;

use super::EngineError;

/// What the student is told when an engine cannot answer (not Docker's own errors, which Docker
/// words): the real engine's missing CLI, stopped daemon or refused socket, a locked or damaged
/// store.
impl EngineError {
    pub fn msg(&self) -> Msg {
        use crate::store::StoreError as S;
        use EngineError as E;
        match self {
            E::DockerNotFound { program } => Msg::DockerNotFound {
                program: program.display().to_string(),
            },
            E::DaemonNotRunning { host } => Msg::DaemonNotRunning { host: host.clone() },
            E::PathRefused(refused) => Msg::PathRefused {
                path: crate::docker::reference::escape_controls(&refused.path).into_owned(),
                reason: refused.reason.as_str().to_owned(),
            },
            E::NotSimulated { command } => Msg::NotSimulated {
                command: command.clone(),
            },
            E::NotEmulated { command } => Msg::NotEmulated {
                command: command.clone(),
            },
            E::DaemonPermissionDenied { socket } => Msg::DaemonPermissionDenied {
                socket: socket.clone(),
            },
            E::ApiTimedOut { host, after, .. } => Msg::ApiTimedOut {
                host: host.clone(),
                seconds: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            },
            E::ApiFailed {
                host,
                request,
                status,
                message,
            } => Msg::ApiFailed {
                host: host.clone(),
                request: request.clone(),
                status: i64::from(*status),
                message: message.clone(),
            },
            E::ApiUnexpected {
                host,
                request,
                detail,
            } => Msg::ApiUnexpected {
                host: host.clone(),
                request: request.clone(),
                detail: detail.clone(),
            },
            E::Store(S::Locked { path, waited_ms }) => Msg::StoreLocked {
                path: path.display().to_string(),
                seconds: i64::try_from(waited_ms / 1000).unwrap_or(i64::MAX),
            },
            E::Store(S::FutureState {
                path,
                found,
                supported,
            }) => Msg::StoreFuture {
                // The state file's directory: the store the student knows.
                path: path.parent().unwrap_or(path).display().to_string(),
                found: i64::from(*found),
                supported: i64::from(*supported),
            },
            E::Store(S::DiskFull { path, .. }) => {
                // The failing path is a temp file; its directory is what the student can look at.
                let shown = if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(crate::atomic::TEMP_PREFIX))
                {
                    path.parent().unwrap_or(path)
                } else {
                    path
                };
                Msg::StoreDiskFull {
                    path: shown.display().to_string(),
                }
            }
            E::Store(
                e @ (S::CorruptState { .. }
                | S::CorruptBlob { .. }
                | S::MissingBlob { .. }
                | S::BadDocument { .. }),
            ) => Msg::StoreCorrupt {
                error: e.to_string(),
            },
            other => Msg::EngineFailed {
                error: other.to_string(),
            },
        }
    }
}
