"""Engine configuration of a simulated player: the Academy's training and inference screen/time settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SpecError


@dataclass(frozen=True)
class EngineConfig:
    """Engine-level settings (ML-Agents ``EngineConfigurationChannel``, Academy ``EnvironmentConfiguration``).

    Training runs as fast as the CPU allows whatever ``time_scale`` says (there is no wall clock in the
    simulator); the settings matter for rendering: frame size and how many seconds of simulated time a GIF
    frame shows (``capture_frame_rate``).
    """

    width: int = 80
    """Window width in pixels (rendered frames use it)."""
    height: int = 80
    """Window height in pixels."""
    quality_level: int = 1
    """Rendering quality, 0 (fastest) to 5 (best); above 2 the renderer anti-aliases and draws ray sensors."""
    time_scale: float = 20.0
    """Simulated seconds per real second (Unity ``Time.timeScale``, 1 to 100)."""
    target_frame_rate: int = -1
    """Frames per second the engine tries to keep; -1 = unlimited."""
    capture_frame_rate: int = 60
    """Fixed frame rate for captures (Unity ``Time.captureFramerate``)."""

    def __post_init__(self) -> None:
        if self.width < 8 or self.height < 8:
            raise SpecError(f"engine: width and height must be >= 8 pixels, got {self.width}x{self.height}")
        if not 0 <= self.quality_level <= 5:
            raise SpecError(f"engine: quality_level must be in [0, 5], got {self.quality_level}")
        if not 0.0 < self.time_scale <= 100.0:
            raise SpecError(f"engine: time_scale must be in (0, 100], got {self.time_scale}")
        if self.target_frame_rate == 0 or self.target_frame_rate < -1:
            raise SpecError(f"engine: target_frame_rate must be -1 or >= 1, got {self.target_frame_rate}")
        if self.capture_frame_rate < 1:
            raise SpecError(f"engine: capture_frame_rate must be >= 1, got {self.capture_frame_rate}")

    @classmethod
    def training(cls) -> EngineConfig:
        """ML-Agents' training defaults: 80x80, quality 1, time scale 20, unlimited frame rate."""
        return cls(80, 80, 1, 20.0, -1, 60)

    @classmethod
    def inference(cls) -> EngineConfig:
        """ML-Agents' inference defaults: 1280x720, quality 5, real time, 60 fps."""
        return cls(1280, 720, 5, 1.0, 60, 60)
