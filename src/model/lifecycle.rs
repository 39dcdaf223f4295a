//! The life cycle of a workflow as a design names it (docs/SIMULATOR.md, "Workflow states"):
//! its states, with the reference product's status for each, and the commands a scenario's
//! steps give after its trigger (start, pause, resume, stop, restart, release).

use serde::{Deserialize, Serialize};

/// The state of a workflow in a simulator session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum WorkflowState {
    /// Never started (the reference's Editing): triggers are refused.
    NotStarted,
    /// Started (In progress): triggers start runs and activities run.
    Started,
    /// Paused by the Pause command (Warning): activities already done stay done, no new one
    /// runs, and triggers are queued until Resume.
    Paused,
    /// Suspended on an error (Erroneous): the failed activity waits with the rest of the
    /// workflow, and triggers are queued, until Resume runs it again.
    Erroneous,
    /// Stopped by the Stop command or an End that stops all tasks (Finished): triggers are
    /// refused until it is started again.
    Stopped,
}

impl WorkflowState {
    /// Every state, in life-cycle order.
    pub const ALL: [WorkflowState; 5] = [
        WorkflowState::NotStarted,
        WorkflowState::Started,
        WorkflowState::Paused,
        WorkflowState::Erroneous,
        WorkflowState::Stopped,
    ];

    /// flowcall's name, as `serve` and the command line write it: `not started`, `started`,
    /// `paused`, `erroneous`, `stopped`.
    pub fn name(self) -> &'static str {
        match self {
            WorkflowState::NotStarted => "not started",
            WorkflowState::Started => "started",
            WorkflowState::Paused => "paused",
            WorkflowState::Erroneous => "erroneous",
            WorkflowState::Stopped => "stopped",
        }
    }

    /// The reference product's status: `Editing`, `In progress`, `Warning`, `Erroneous`,
    /// `Finished`.
    pub fn status(self) -> &'static str {
        match self {
            WorkflowState::NotStarted => "Editing",
            WorkflowState::Started => "In progress",
            WorkflowState::Paused => "Warning",
            WorkflowState::Erroneous => "Erroneous",
            WorkflowState::Stopped => "Finished",
        }
    }
}

/// A command given to the session after a scenario's trigger has run to the end; each step is
/// run to the end in turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ScenarioStep {
    /// Starts the workflow (by id).
    Start(String),
    /// Pauses the workflow.
    Pause(String),
    /// Resumes the workflow: after a pause, or, when it is Erroneous, runs the failed activity
    /// again.
    Resume(String),
    /// Stops the workflow.
    Stop(String),
    /// Stops the workflow (when it is not stopped) and starts it again.
    Restart(String),
    /// Releases the tasks held at an activity set to "Enable but do not execute", named
    /// `WORKFLOW/activity`.
    Release(String),
    /// Moves the virtual clock forward by this many seconds.
    Advance(u64),
}

impl ScenarioStep {
    /// How a difference names the step: `resume WKF1`, `release WKF1/email1`, `advance 60 s`.
    pub fn describe(&self) -> String {
        match self {
            ScenarioStep::Start(w) => format!("start {w}"),
            ScenarioStep::Pause(w) => format!("pause {w}"),
            ScenarioStep::Resume(w) => format!("resume {w}"),
            ScenarioStep::Stop(w) => format!("stop {w}"),
            ScenarioStep::Restart(w) => format!("restart {w}"),
            ScenarioStep::Release(a) => format!("release {a}"),
            ScenarioStep::Advance(s) => format!("advance {s} s"),
        }
    }

    /// Reads a step written `METHOD:TARGET` (`resume:WKF1`, `release:WKF1/email1`,
    /// `advance:60`), as `flowcall run --then` takes it; the error says what is expected.
    pub fn parse(text: &str) -> Result<ScenarioStep, String> {
        const EXPECTED: &str = "expected start:WORKFLOW, pause:WORKFLOW, resume:WORKFLOW, stop:WORKFLOW, restart:WORKFLOW, release:WORKFLOW/ACTIVITY or advance:SECONDS";
        let Some((method, target)) = text.split_once(':') else {
            return Err(format!("'{text}' is not a command: {EXPECTED}"));
        };
        let target = target.trim();
        let workflow = || {
            if target.is_empty() || target.contains('/') {
                Err(format!(
                    "'{text}': {method} takes a workflow id, as in {method}:WKF1"
                ))
            } else {
                Ok(target.to_owned())
            }
        };
        match method.trim() {
            "start" => workflow().map(ScenarioStep::Start),
            "pause" => workflow().map(ScenarioStep::Pause),
            "resume" => workflow().map(ScenarioStep::Resume),
            "stop" => workflow().map(ScenarioStep::Stop),
            "restart" => workflow().map(ScenarioStep::Restart),
            "release" => match target.split_once('/') {
                Some((w, a)) if !w.is_empty() && !a.is_empty() => {
                    Ok(ScenarioStep::Release(target.to_owned()))
                }
                _ => Err(format!(
                    "'{text}': release takes WORKFLOW/ACTIVITY, as in release:WKF1/email1"
                )),
            },
            "advance" => target.parse().map(ScenarioStep::Advance).map_err(|_| {
                format!("'{text}': advance takes a number of seconds, as in advance:60")
            }),
            other => Err(format!("unknown command '{other}' in '{text}': {EXPECTED}")),
        }
    }

    /// The workflow the step names (`None` for a clock advance).
    pub fn workflow(&self) -> Option<&str> {
        match self {
            ScenarioStep::Start(w)
            | ScenarioStep::Pause(w)
            | ScenarioStep::Resume(w)
            | ScenarioStep::Stop(w)
            | ScenarioStep::Restart(w) => Some(w),
            ScenarioStep::Release(a) => Some(a.split_once('/').map_or(a.as_str(), |(w, _)| w)),
            ScenarioStep::Advance(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_name_and_the_reference_status() {
        let names: Vec<&str> = WorkflowState::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            ["not started", "started", "paused", "erroneous", "stopped"]
        );
        let statuses: Vec<&str> = WorkflowState::ALL.iter().map(|s| s.status()).collect();
        assert_eq!(
            statuses,
            ["Editing", "In progress", "Warning", "Erroneous", "Finished"]
        );
    }

    #[test]
    fn steps_say_what_they_do_and_to_which_workflow() {
        let release = ScenarioStep::Release("WKF1/email1".into());
        assert_eq!(release.describe(), "release WKF1/email1");
        assert_eq!(release.workflow(), Some("WKF1"));
        assert_eq!(ScenarioStep::Advance(60).workflow(), None);
        assert_eq!(ScenarioStep::Restart("W".into()).describe(), "restart W");
    }

    #[test]
    fn steps_are_read_as_method_and_target() {
        assert_eq!(
            ScenarioStep::parse("release:WKF1/email1"),
            Ok(ScenarioStep::Release("WKF1/email1".into()))
        );
        assert_eq!(
            ScenarioStep::parse("resume:WKF1"),
            Ok(ScenarioStep::Resume("WKF1".into()))
        );
        assert_eq!(
            ScenarioStep::parse("advance:60"),
            Ok(ScenarioStep::Advance(60))
        );
        for bad in [
            "resume",
            "resume:",
            "release:WKF1",
            "advance:soon",
            "explode:W",
            "stop:W/a",
        ] {
            let Err(e) = ScenarioStep::parse(bad) else {
                panic!("'{bad}' was read as a step")
            };
            assert!(e.contains(bad), "{e}");
        }
    }
}
