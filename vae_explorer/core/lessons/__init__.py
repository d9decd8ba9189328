"""Help > Lessons: what each lesson opens and says (:mod:`.catalogue`), and its claim measured (:mod:`.measured`)."""

from .catalogue import DOCKS, LESSONS, OVERLAYS, Lesson, lesson

__all__ = ["DOCKS", "LESSONS", "OVERLAYS", "Lesson", "lesson"]
