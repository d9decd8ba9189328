"""The maps' selection: the toolbar's lasso (:mod:`.tool`) and the Selection dock (:mod:`.panel`)."""
