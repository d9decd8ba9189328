"""Training: settings, the loop, the child-process protocol the Train tab reads, the run log."""
