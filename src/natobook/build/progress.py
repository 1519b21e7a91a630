"""The notebooks' progress: a tqdm bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm


class Progress:
    """A tqdm bar on a terminal (postfix: done, running, failed, and the runs in progress); plain lines otherwise."""

    def __init__(self, total: int, enabled: bool | None = None):
        self.interactive = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.done, self.failed = total, 0, 0
        self.running: list[str] = []
        tqdm.monitor_interval = 0  # no monitor thread: the worker pool forks after the bar exists
        self.bar = tqdm(
            total=total,
            desc="notebooks",
            unit="nb",
            file=sys.stderr,
            disable=not self.interactive,
            dynamic_ncols=True,
            leave=True,
        )

    def _refresh(self) -> None:
        names = ", ".join(Path(label).stem for label in self.running)
        self.bar.set_postfix_str(f"done {self.done}, running {len(self.running)}, failed {self.failed} [{names}]")

    def started(self, label: str) -> None:
        self.running.append(label)
        self._refresh()

    def finished(self, label: str, outcome: str) -> None:
        if label in self.running:
            self.running.remove(label)
        self.done += 1
        self.failed += outcome == "FAILED"
        if self.interactive:
            if outcome == "FAILED":
                self.bar.write(f"FAILED {label}", file=sys.stderr)
            self.bar.update(1)
            self._refresh()
        else:
            print(
                f"[{self.done:>{len(str(self.total))}}/{self.total}] {outcome:<8} {label}", file=sys.stderr, flush=True
            )

    def close(self) -> None:
        self.bar.close()
