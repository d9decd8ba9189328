"""What the file dialogs offer to open or save: the name filters shared by the window and the Train tab."""

CHECKPOINT_FILTER = "Checkpoints (*.pt);;All files (*)"
MODEL_FILTER = "Models (*.pt *.py);;Checkpoints (*.pt);;Model files (*.py);;All files (*)"
