"""The Lesson dock: a lesson's sentences, Previous and Next, and the replay of a training run."""
