"""Console lines in ML-Agents' format, TensorBoard tags read back, the TTY-only progress bar."""

from __future__ import annotations

import io

from mlops_unity_pipeline.rl.stats import ProgressBar, TensorBoardWriter, console_line


def test_console_line_matches_mlagents_format():
    """'<B>. Step: N. Time Elapsed: T s. Mean Reward: R. Std of Reward: S. Training.'"""
    line = console_line("3DBall", 12000, 9.3124, [1.0, 2.0, 3.0])
    assert (
        line
        == "3DBall. Step: 12000. Time Elapsed: 9.312 s. Mean Reward: 2.000. Std of Reward: 0.816. Training."
    )


def test_console_line_of_a_poca_behavior_shows_the_group_reward():
    """POCA (group reward known): 'Mean Group Reward' replaces the std, as ML-Agents' ConsoleWriter prints."""
    line = console_line("PushBlockCollab", 60000, 10.0, [0.0, 1.0], group_reward=4.5)
    assert line == (
        "PushBlockCollab. Step: 60000. Time Elapsed: 10.000 s. Mean Reward: 0.500. Mean Group Reward: 4.500. "
        "Training."
    )


def test_console_line_without_episodes():
    """No completed episode -> ML-Agents' 'No episode was completed since last summary.'"""
    assert console_line("B", 5, 1.0, []) == (
        "B. Step: 5. Time Elapsed: 1.000 s. No episode was completed since last summary. Training."
    )


def test_tensorboard_tags_read_back(tmp_path):
    """Scalars land under the exact tag names; a non-resume writer deletes old event files."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    old = tmp_path / "events.out.tfevents.123.old"
    old.write_bytes(b"")
    writer = TensorBoardWriter(tmp_path, resume=False)
    writer.write(100, {"Environment/Cumulative Reward": 1.5, "Losses/Policy Loss": 0.1})
    writer.close()
    assert not old.exists()
    acc = EventAccumulator(str(tmp_path))
    acc.Reload()
    assert {"Environment/Cumulative Reward", "Losses/Policy Loss"} <= set(acc.Tags()["scalars"])
    event = acc.Scalars("Environment/Cumulative Reward")[0]
    assert event.step == 100 and abs(event.value - 1.5) < 1e-6


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal():
    """A pipe gets nothing; a TTY gets a carriage-return bar."""
    pipe = io.StringIO()
    ProgressBar(pipe, min_interval=0).update("B", 50, 100, 1.0, 0.5)
    assert pipe.getvalue() == ""
    tty = _Tty()
    bar = ProgressBar(tty, min_interval=0)
    bar.update("B", 50, 100, 1.0, 0.5)
    assert tty.getvalue().startswith("\rB [") and "50/100" in tty.getvalue()
    bar.clear()
    assert tty.getvalue().endswith("\r\x1b[K")
